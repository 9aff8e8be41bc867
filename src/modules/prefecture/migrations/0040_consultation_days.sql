-- 巡回相談: consultation days the prefecture's centre holds in a municipality.
-- Rows belong to the municipality where the day is held (its window books the
-- sessions for its residents); prefecture_id is the centre's tenant that plans
-- the days and records the outcomes.
CREATE TABLE consultation_day (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL REFERENCES municipality (id),
  day date NOT NULL,
  place text,
  start_time time NOT NULL,
  session_count integer NOT NULL CHECK (session_count BETWEEN 1 AND 20),
  session_minutes integer NOT NULL CHECK (session_minutes BETWEEN 10 AND 240),
  -- the centre's staff who hold the day (names as the centre writes them)
  staff jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, day)
);
CREATE INDEX consultation_day_by_prefecture ON consultation_day (prefecture_id, day);

CREATE TABLE consultation_day_session (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  day_id uuid NOT NULL,
  position integer NOT NULL,
  starts_at time NOT NULL,
  ends_at time NOT NULL,
  -- the outcome, recorded by the centre after the day
  attended boolean,
  came text CHECK (came IN ('self', 'family', 'both')),
  main_concern text,
  referral_organization_id uuid,
  referral_consultation_id uuid,
  outcome_at timestamptz,
  outcome_by uuid,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, day_id) REFERENCES consultation_day (municipality_id, id),
  UNIQUE (municipality_id, day_id, position),
  CHECK (attended IS NOT FALSE OR came IS NULL)
);

-- A resident's booking, made by the municipality's window. A nickname is
-- enough; the contact is for a reminder. consent_scope lists what the person
-- agreed the centre may see ('nickname', 'who', 'contact').
CREATE TABLE consultation_day_booking (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  who text NOT NULL CHECK (who IN ('self', 'family', 'both')),
  nickname text NOT NULL,
  phone text,
  email text,
  consent_scope text[] NOT NULL DEFAULT '{}',
  note text,
  booked_at timestamptz NOT NULL,
  booked_by uuid,
  updated_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancelled_by uuid,
  reminder_sent_at timestamptz,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, session_id) REFERENCES consultation_day_session (municipality_id, id)
);
-- one live booking per session: two windows booking the same session at once cannot both succeed
CREATE UNIQUE INDEX consultation_day_booking_one_per_session ON consultation_day_booking (municipality_id, session_id) WHERE cancelled_at IS NULL;
