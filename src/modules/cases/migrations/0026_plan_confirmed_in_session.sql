-- The 支援調整会議 confirms support plans: the session that confirmed a plan.
ALTER TABLE support_plan ADD COLUMN confirmed_session_id uuid;
ALTER TABLE support_plan ADD CONSTRAINT support_plan_confirmed_session_fk
  FOREIGN KEY (municipality_id, confirmed_session_id) REFERENCES meeting_session (municipality_id, id);
