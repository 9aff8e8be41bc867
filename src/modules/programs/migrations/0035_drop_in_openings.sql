-- A drop-in place's (居場所) regular opening: which weekdays (every week, or
-- given weeks of the month, as RFC 5545 BYDAY: 'TU,TH' or '2SA,4SA'), from
-- and until what time, over which dates. Published with the place's service
-- as HSDS schedules and shown on the public navigator. Nothing personal.

CREATE TABLE drop_in_opening (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  program_id uuid NOT NULL,
  freq text NOT NULL CHECK (freq IN ('WEEKLY', 'MONTHLY')),
  byday text NOT NULL,
  opens_at time NOT NULL,
  closes_at time NOT NULL,
  valid_from date,
  valid_to date,
  description text,
  updated_by uuid,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id) ON DELETE CASCADE,
  CHECK (closes_at > opens_at),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX drop_in_opening_by_program ON drop_in_opening (municipality_id, program_id);
