-- Retention (security issue): how long each class of record is kept, per
-- municipality; legal holds that stop disposal; and the record of what was disposed.

CREATE TABLE retention_policy (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  record_class text NOT NULL CHECK (record_class IN ('consultation', 'contact_record', 'assessment', 'support_plan', 'case', 'audit')),
  years integer NOT NULL CHECK (years BETWEEN 1 AND 100),
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (municipality_id, record_class)
);

CREATE TABLE legal_hold (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  case_id uuid,
  person_id uuid,
  reason text NOT NULL,
  placed_by uuid,
  placed_at timestamptz NOT NULL,
  released_at timestamptz,
  released_by uuid,
  PRIMARY KEY (municipality_id, id),
  CHECK (case_id IS NOT NULL OR person_id IS NOT NULL)
);

CREATE TABLE disposal_record (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  run_at timestamptz NOT NULL,
  record_class text NOT NULL,
  cutoff timestamptz NOT NULL,
  disposed integer NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (municipality_id, id)
);
