-- Coordination meetings (the meetings issue): sessions of the profile's
-- meeting series, scheduled by a recurrence and moved off public holidays;
-- agendas of cases and topics; attendance, minutes, decisions, action items
-- followed to their end; agreed rules (統一見解); guests; and the members'
-- confidentiality acknowledgements that a 支援会議 requires before anything is
-- shared in it.
CREATE TABLE meeting_recurrence (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  series_id uuid NOT NULL,
  -- { months: [1,3,…], weekday: 0–6, nth: 1–5 | -1, start: 'HH:MM', minutes: n }
  rule jsonb NOT NULL,
  holiday_shift text NOT NULL CHECK (holiday_shift IN ('next_weekday', 'previous_weekday')),
  place text,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  ended_at timestamptz,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, series_id) REFERENCES meeting_series (municipality_id, id)
);

CREATE TABLE meeting_session (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  series_id uuid NOT NULL,
  recurrence_id uuid,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- the date the recurrence gave, when a public holiday moved the session
  moved_from date,
  place text,
  status text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
  -- while now is inside this window, members may see the cases on the agenda
  -- (支援会議 only; see meetings/sharing.ts)
  share_from timestamptz NOT NULL,
  share_until timestamptz NOT NULL,
  agenda_fixed_at timestamptz,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, series_id) REFERENCES meeting_series (municipality_id, id),
  FOREIGN KEY (municipality_id, recurrence_id) REFERENCES meeting_recurrence (municipality_id, id),
  CHECK (ends_at > starts_at),
  CHECK (share_until > share_from)
);
CREATE INDEX meeting_session_by_series ON meeting_session (municipality_id, series_id, starts_at);
CREATE INDEX meeting_session_by_time ON meeting_session (municipality_id, starts_at);

CREATE TABLE meeting_action_item (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  agenda_item_id uuid,
  decision_id uuid,
  case_id uuid,
  organization_id uuid NOT NULL,
  description text NOT NULL,
  due_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  done_at timestamptz,
  done_by uuid REFERENCES app_user (id),
  done_note text,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES meeting_session (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX meeting_action_open_by_org ON meeting_action_item (municipality_id, organization_id, due_on) WHERE status = 'open';
CREATE INDEX meeting_action_by_session ON meeting_action_item (municipality_id, session_id);

CREATE TABLE meeting_agenda_item (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('case', 'topic', 'action_review')),
  case_id uuid,
  action_item_id uuid,
  -- why it is on the agenda: plan_review, referral_overdue, no_contact, complex, action_overdue, added
  reason text NOT NULL,
  reason_detail text,
  title text,
  -- the pseudonym members without a basis see (事例1, 事例2 …), fixed when added
  label text NOT NULL,
  minutes text,
  minutes_at timestamptz,
  minutes_by uuid REFERENCES app_user (id),
  added_by uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES meeting_session (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, action_item_id) REFERENCES meeting_action_item (municipality_id, id),
  CHECK ((kind = 'case') = (case_id IS NOT NULL) OR kind = 'action_review'),
  CHECK (kind <> 'action_review' OR action_item_id IS NOT NULL),
  CHECK (kind <> 'topic' OR title IS NOT NULL)
);
CREATE INDEX meeting_agenda_by_session ON meeting_agenda_item (municipality_id, session_id, position);
CREATE INDEX meeting_agenda_by_case ON meeting_agenda_item (municipality_id, case_id) WHERE case_id IS NOT NULL;

CREATE TABLE meeting_decision (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  agenda_item_id uuid,
  text text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES meeting_session (municipality_id, id),
  FOREIGN KEY (municipality_id, agenda_item_id) REFERENCES meeting_agenda_item (municipality_id, id)
);
CREATE INDEX meeting_decision_by_session ON meeting_decision (municipality_id, session_id);
ALTER TABLE meeting_action_item ADD FOREIGN KEY (municipality_id, agenda_item_id) REFERENCES meeting_agenda_item (municipality_id, id);
ALTER TABLE meeting_action_item ADD FOREIGN KEY (municipality_id, decision_id) REFERENCES meeting_decision (municipality_id, id);

-- The organisations a session invites (the series' members, and those the
-- coordinator adds for this session: 総合支援調整会議 names no fixed list), and
-- after the session whether they were there.
CREATE TABLE meeting_attendance (
  municipality_id uuid NOT NULL,
  session_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  present boolean,
  attendee_names text,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, session_id, organization_id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES meeting_session (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);

-- A guest (民生委員, a person with lived experience) invited to one session,
-- with the items the invitation lets them see and how.
CREATE TABLE meeting_guest (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  kind text NOT NULL CHECK (kind IN ('welfare_commissioner', 'lived_experience', 'expert', 'other')),
  -- topics: topic items only; pseudonymised: case items as label, age band and issues
  sees text NOT NULL CHECK (sees IN ('topics', 'pseudonymised')),
  present boolean,
  invited_at timestamptz NOT NULL,
  invited_by uuid REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, session_id, user_id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES meeting_session (municipality_id, id)
);
CREATE INDEX meeting_guest_by_user ON meeting_guest (user_id);

-- 守秘義務: a member of a 支援会議 acknowledges the duty of confidentiality
-- (社会福祉法第106条の6第5項 / 生活困窮者自立支援法第9条第5項) before the cases
-- on its agenda are shown to them.
CREATE TABLE meeting_acknowledgement (
  municipality_id uuid NOT NULL,
  series_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  statement text NOT NULL,
  acknowledged_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, series_id, user_id),
  FOREIGN KEY (municipality_id, series_id) REFERENCES meeting_series (municipality_id, id)
);

-- 統一見解: a decision the city applies from now on. Changed only by a later
-- decision (superseded_by / ended_by_decision); never edited in place.
CREATE TABLE agreed_rule (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  number integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  source_session_id uuid NOT NULL,
  source_decision_id uuid NOT NULL,
  in_force_from date NOT NULL,
  routing_rule_key text,
  supersedes_id uuid,
  ended_at timestamptz,
  ended_by_decision_id uuid,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, number),
  FOREIGN KEY (municipality_id, source_session_id) REFERENCES meeting_session (municipality_id, id),
  FOREIGN KEY (municipality_id, source_decision_id) REFERENCES meeting_decision (municipality_id, id),
  FOREIGN KEY (municipality_id, ended_by_decision_id) REFERENCES meeting_decision (municipality_id, id),
  FOREIGN KEY (municipality_id, supersedes_id) REFERENCES agreed_rule (municipality_id, id)
);
CREATE INDEX agreed_rule_in_force ON agreed_rule (municipality_id, number) WHERE ended_at IS NULL;

-- The iCalendar feed of a series is fetched by calendar programs that cannot
-- sign in: its address carries a random token (and the feed no personal data).
CREATE TABLE meeting_feed (
  municipality_id uuid NOT NULL,
  series_id uuid NOT NULL,
  token text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, series_id),
  FOREIGN KEY (municipality_id, series_id) REFERENCES meeting_series (municipality_id, id)
);
