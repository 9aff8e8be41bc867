-- Events, peer groups and drop-in places (講演会・UX女子会・居場所), staff side.
-- Registrations are not here: they live on the public side and only their
-- counts are pulled (never a registrant's details). Attendance is counted
-- without names.

CREATE TABLE program_event (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  program_id uuid,
  kind text NOT NULL CHECK (kind IN ('public_lecture', 'commissioner_training', 'supporters_exchange', 'peer_group')),
  title text NOT NULL,
  description text,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  place text,
  online boolean NOT NULL DEFAULT false,
  capacity integer CHECK (capacity IS NULL OR capacity > 0),
  -- organisations of this municipality that organise it (their staff manage it, with the hub)
  organizer_org_ids uuid[] NOT NULL DEFAULT '{}',
  -- co-organising municipalities of a wide-area event: [{ "municipalityId": uuid|null, "name": text }]
  co_municipalities jsonb NOT NULL DEFAULT '[]',
  published boolean NOT NULL DEFAULT false,
  registration_open boolean NOT NULL DEFAULT true,
  -- pulled from the public side: counts only
  registered integer NOT NULL DEFAULT 0,
  waiting integer NOT NULL DEFAULT 0,
  registered_by_municipality jsonb NOT NULL DEFAULT '{}',
  counts_pulled_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  CHECK (ends_at >= starts_at)
);
CREATE INDEX program_event_by_start ON program_event (municipality_id, starts_at);

-- Attendance per session without names: how many came from which municipality, how many for the first time.
CREATE TABLE event_attendance (
  municipality_id uuid NOT NULL,
  event_id uuid NOT NULL,
  session_on date NOT NULL,
  from_municipality text NOT NULL,
  came integer NOT NULL CHECK (came >= 0),
  first_timers integer NOT NULL CHECK (first_timers >= 0 AND first_timers <= came),
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, event_id, session_on, from_municipality),
  FOREIGN KEY (municipality_id, event_id) REFERENCES program_event (municipality_id, id) ON DELETE CASCADE
);

-- A drop-in place's (居場所) opening day: visitors and first-timers.
CREATE TABLE drop_in_day (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  program_id uuid NOT NULL,
  day date NOT NULL,
  visitors integer NOT NULL CHECK (visitors >= 0),
  first_timers integer NOT NULL CHECK (first_timers >= 0 AND first_timers <= visitors),
  note text,
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, program_id, day)
);

-- A visitor with a case who agreed: the visit is a contact record of the case.
CREATE TABLE drop_in_case_visit (
  municipality_id uuid NOT NULL,
  day_id uuid NOT NULL,
  case_id uuid NOT NULL,
  contact_record_id uuid NOT NULL,
  PRIMARY KEY (municipality_id, day_id, case_id),
  FOREIGN KEY (municipality_id, day_id) REFERENCES drop_in_day (municipality_id, id) ON DELETE CASCADE
);

-- How long the public side keeps registrations after an event (per municipality).
CREATE TABLE event_settings (
  municipality_id uuid PRIMARY KEY REFERENCES municipality (id),
  registration_keep_days integer NOT NULL DEFAULT 30 CHECK (registration_keep_days BETWEEN 1 AND 365)
);
