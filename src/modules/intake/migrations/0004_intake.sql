-- Intake (相談受付): consultations from every door, their routing trail, and
-- residents' concern reports (気がかり相談).

-- Human-readable references, numbered per municipality and fiscal year.
CREATE TABLE intake_counter (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  fiscal_year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (municipality_id, fiscal_year)
);

CREATE TABLE consultation (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  reference text NOT NULL,
  received_at timestamptz NOT NULL,
  door_organization_id uuid NOT NULL,
  channel text NOT NULL,
  consulter_relation text NOT NULL,
  consulter_detail text,
  age integer CHECK (age BETWEEN 0 AND 130),
  age_band_min integer CHECK (age_band_min BETWEEN 0 AND 130),
  age_band_max integer CHECK (age_band_max BETWEEN 0 AND 130),
  school_stage text,
  area_id uuid,
  issue_tags text[] NOT NULL DEFAULT '{}',
  main_issue text,
  organizations_involved integer CHECK (organizations_involved >= 0),
  cannot_visit boolean,
  family_only boolean NOT NULL DEFAULT false,
  summary text NOT NULL,
  urgency text NOT NULL CHECK (urgency IN ('normal', 'urgent', 'emergency')),
  source text NOT NULL CHECK (source IN ('staff', 'concern_report')),
  status text NOT NULL CHECK (status IN ('triage', 'routed')),
  holder_organization_id uuid NOT NULL,
  routing_version integer,
  destination_organization_id uuid,
  destination_program_id uuid,
  -- the support case opened from it (cases module), if any
  case_id uuid,
  recorded_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, reference),
  FOREIGN KEY (municipality_id, door_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, holder_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, destination_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, destination_program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id),
  CHECK (age_band_min IS NULL OR age_band_max IS NULL OR age_band_min <= age_band_max),
  CHECK (main_issue IS NULL OR main_issue = ANY (issue_tags))
);
-- a queue: what an organisation holds, newest first
CREATE INDEX consultation_queue ON consultation (municipality_id, holder_organization_id, status, received_at DESC, id DESC);
CREATE INDEX consultation_received ON consultation (municipality_id, received_at DESC, id DESC);

-- Every step a consultation took: received at a door, forwarded, routed.
-- The routing suggestion shown at each step is kept with the rule-set version
-- it came from, so a past decision can be explained later.
CREATE TABLE consultation_step (
  municipality_id uuid NOT NULL,
  consultation_id uuid NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('received', 'forwarded', 'routed', 'case_opened')),
  from_organization_id uuid,
  to_organization_id uuid NOT NULL,
  program_id uuid,
  reason text,
  rule_key text,
  followed_suggestion boolean,
  routing_version integer,
  suggestion jsonb,
  at timestamptz NOT NULL,
  by_user uuid,
  PRIMARY KEY (municipality_id, consultation_id, seq),
  FOREIGN KEY (municipality_id, consultation_id) REFERENCES consultation (municipality_id, id),
  FOREIGN KEY (municipality_id, to_organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX consultation_step_by_org ON consultation_step (municipality_id, to_organization_id);

-- A resident's concern report as taken in by the staff side. The reporter's
-- identity is kept apart from the consultation it became, so it can be
-- withheld from everyone who does not need it.
CREATE TABLE concern_report (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  receipt_code text NOT NULL,
  submitted_at timestamptz NOT NULL,
  about_relation text NOT NULL,
  about_age_band text,
  area_id uuid,
  concern text NOT NULL,
  reporter_anonymous boolean NOT NULL,
  reporter_name text,
  reporter_phone text,
  reporter_email text,
  consultation_id uuid NOT NULL,
  taken_in_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, receipt_code),
  FOREIGN KEY (municipality_id, consultation_id) REFERENCES consultation (municipality_id, id)
);
