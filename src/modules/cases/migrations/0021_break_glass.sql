-- Break-the-glass: in an emergency a staff member reads one case they may not
-- otherwise see, after the second factor again and with a reason, for a set
-- time. The privacy officer is alerted at once; the use stays an open review
-- item until closed with a finding.
CREATE TABLE break_glass (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  organization_id uuid NOT NULL,
  reason text NOT NULL,
  started_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  review_finding text,
  reviewed_at timestamptz,
  reviewed_by uuid REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX break_glass_active ON break_glass (municipality_id, user_id, case_id) WHERE ended_at IS NULL;
CREATE INDEX break_glass_open_review ON break_glass (municipality_id, started_at) WHERE reviewed_at IS NULL;
