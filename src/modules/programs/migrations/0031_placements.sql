-- Participation and work (参加支援・就労, programs issue #11): placements
-- (受け入れ先), the work preferences of a case that matching reads, placement
-- records of a case and the retention check-ins (職場定着) after a job starts.

-- A business or organisation offering trial participation, intermediate work or jobs. No personal data.
CREATE TABLE placement (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('trial', 'intermediate', 'job')),
  program_id uuid,
  tasks text[] NOT NULL DEFAULT '{}',
  hours_min real,
  hours_max real,
  days text[] NOT NULL DEFAULT '{}',
  area_id uuid,
  place text,
  travel_notes text,
  support_offered text[] NOT NULL DEFAULT '{}',
  support_notes text,
  capacity integer NOT NULL CHECK (capacity >= 0),
  contact text,
  active boolean NOT NULL DEFAULT true,
  organization_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);

-- Which areas neighbour which (the profile's areas carry no adjacency); kept both ways.
CREATE TABLE placement_area_neighbour (
  municipality_id uuid NOT NULL,
  area_id uuid NOT NULL,
  neighbour_id uuid NOT NULL,
  PRIMARY KEY (municipality_id, area_id, neighbour_id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id),
  FOREIGN KEY (municipality_id, neighbour_id) REFERENCES area (municipality_id, id)
);

-- What matching needs from the support plan: one record per case. health_notes is 要配慮.
CREATE TABLE work_preference (
  municipality_id uuid NOT NULL,
  case_id uuid NOT NULL,
  hours_min real,
  hours_max real,
  days text[] NOT NULL DEFAULT '{}',
  tasks text[] NOT NULL DEFAULT '{}',
  area_id uuid,
  max_travel_minutes integer,
  travel_minutes jsonb NOT NULL DEFAULT '{}',
  support_needed text[] NOT NULL DEFAULT '{}',
  notes text,
  health_notes text,
  organization_id uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, case_id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id)
);

CREATE TABLE placement_record (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  placement_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  trial_from date,
  trial_to date,
  days_attended integer NOT NULL DEFAULT 0 CHECK (days_attended >= 0),
  job_started_on date,
  outcome text CHECK (outcome IN ('continued', 'employed', 'ended')),
  outcome_on date,
  ended_reason text,
  note text,
  by_user uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, placement_id) REFERENCES placement (municipality_id, id)
);
CREATE INDEX placement_record_by_case ON placement_record (municipality_id, case_id);
CREATE INDEX placement_record_by_placement ON placement_record (municipality_id, placement_id);

-- 職場定着: check-ins 1, 3 and 6 months after a job starts.
CREATE TABLE retention_check_in (
  municipality_id uuid NOT NULL,
  record_id uuid NOT NULL,
  months integer NOT NULL CHECK (months IN (1, 3, 6)),
  due_on date NOT NULL,
  done_on date,
  still_working boolean,
  note text,
  by_user uuid,
  PRIMARY KEY (municipality_id, record_id, months),
  FOREIGN KEY (municipality_id, record_id) REFERENCES placement_record (municipality_id, id)
);
CREATE INDEX retention_check_in_due ON retention_check_in (municipality_id, due_on) WHERE done_on IS NULL;
