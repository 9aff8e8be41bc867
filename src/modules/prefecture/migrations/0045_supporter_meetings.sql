-- 支援者交流会・研修: exchange meetings and trainings the prefecture's centre
-- holds for the staff of the municipalities it covers and of its partner
-- groups (連携団体). Every row belongs to the centre's tenant (municipality_id
-- is the prefecture's). The registrants are staff of municipalities and
-- partner groups, recorded as they registered (name, section, job, an optional
-- work email); no resident and no case is ever referred to here.
CREATE TABLE supporter_meeting (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('exchange', 'training')),
  title text NOT NULL,
  held_on date NOT NULL,
  starts_at time NOT NULL,
  ends_at time,
  place text,
  online boolean NOT NULL DEFAULT false,
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  registration_deadline date NOT NULL,
  description text,
  invite_all_covered boolean NOT NULL DEFAULT false,
  cancelled_at timestamptz,
  cancelled_by uuid,
  cancel_reason text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  created_by uuid,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  CHECK (place IS NOT NULL OR online),
  CHECK (registration_deadline <= held_on),
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX supporter_meeting_by_day ON supporter_meeting (municipality_id, held_on);

-- who is invited: a covered municipality (invitee_kind 'municipality', its
-- tenant id) or a partner group (invitee_kind 'partner', an organisation of
-- the centre's tenant)
CREATE TABLE supporter_meeting_invitee (
  municipality_id uuid NOT NULL,
  meeting_id uuid NOT NULL,
  invitee_kind text NOT NULL CHECK (invitee_kind IN ('municipality', 'partner')),
  invitee_id uuid NOT NULL,
  PRIMARY KEY (municipality_id, meeting_id, invitee_id),
  FOREIGN KEY (municipality_id, meeting_id) REFERENCES supporter_meeting (municipality_id, id)
);
CREATE INDEX supporter_meeting_invitee_by_invitee ON supporter_meeting_invitee (invitee_id);

CREATE TABLE supporter_meeting_registration (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  meeting_id uuid NOT NULL,
  invitee_id uuid NOT NULL,
  name text NOT NULL,
  -- the name without spaces, to refuse the same person twice
  person_key text NOT NULL,
  section text,
  job text,
  email text,
  walk_in boolean NOT NULL DEFAULT false,
  attended boolean,
  attendance_at timestamptz,
  attendance_by uuid,
  registered_at timestamptz NOT NULL,
  registered_by uuid,
  cancelled_at timestamptz,
  cancelled_by uuid,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, meeting_id, invitee_id) REFERENCES supporter_meeting_invitee (municipality_id, meeting_id, invitee_id)
);
CREATE UNIQUE INDEX supporter_meeting_registration_once ON supporter_meeting_registration (municipality_id, meeting_id, invitee_id, person_key) WHERE cancelled_at IS NULL;
