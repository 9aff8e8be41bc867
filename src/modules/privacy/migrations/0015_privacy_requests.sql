-- The person's rights (個人情報保護法 第5章第4節): requests for disclosure (開示),
-- correction (訂正) and suspension of use (利用停止), each with its legal deadline;
-- what a released disclosure package held (metadata only, never a copy of the
-- data); the redaction decisions taken before release; the history of
-- corrections; and suspensions of use in force.

CREATE TABLE privacy_request_counter (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  fiscal_year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (municipality_id, fiscal_year)
);

CREATE TABLE privacy_request (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  reference text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('disclosure', 'correction', 'suspension')),
  -- the person whose record it is (the one kept, when duplicates were merged);
  -- the request stays a record of the city's handling if retention later
  -- disposes of the person, so only the link is cleared
  person_id uuid,
  requester_relation text NOT NULL CHECK (requester_relation IN ('self', 'legal_representative', 'agent')),
  requester_name text,
  identity_verification text NOT NULL,
  content text NOT NULL,
  -- 訂正請求: [{ field, value }] as asked
  requested_changes jsonb,
  received_on date NOT NULL,
  -- received_on + 30 days (第83条第1項 and the like); never changed
  deadline date NOT NULL,
  -- one extension by up to 30 days (第83条第2項), with its date and reason
  extended_on date,
  extended_to date,
  extension_reason text,
  decision text CHECK (decision IN ('full', 'partial', 'none', 'correct', 'not_correct', 'suspend', 'not_suspend')),
  decided_on date,
  decision_reason text,
  decided_by uuid,
  -- 訂正する: the changes decided, applied once by apply-correction
  decided_changes jsonb,
  correction_applied_at timestamptz,
  -- the last deadline alert sent, so the scheduled check sends each once
  alerted text CHECK (alerted IN ('due_soon', 'overdue')),
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, reference),
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id) ON DELETE SET NULL (person_id),
  CHECK (extended_to IS NULL OR (extended_on IS NOT NULL AND extension_reason IS NOT NULL)),
  CHECK ((decision IS NULL) = (decided_on IS NULL))
);
CREATE INDEX privacy_request_open ON privacy_request (municipality_id, deadline) WHERE decision IS NULL;
CREATE INDEX privacy_request_by_person ON privacy_request (municipality_id, person_id);

-- Redaction decisions that depart from the default, each with its reason:
-- un-redacting a reporter or a third party, or redacting free text.
CREATE TABLE disclosure_redaction (
  municipality_id uuid NOT NULL,
  request_id uuid NOT NULL,
  unit_key text NOT NULL,
  redacted boolean NOT NULL,
  ground text,
  reason text NOT NULL,
  decided_by uuid,
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, request_id, unit_key),
  FOREIGN KEY (municipality_id, request_id) REFERENCES privacy_request (municipality_id, id)
);

-- What was released: when, by whom, a digest of the JSON given, counts per
-- section and every redaction with its ground. Not the data itself.
CREATE TABLE disclosure_release (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  request_id uuid NOT NULL,
  released_at timestamptz NOT NULL,
  released_by uuid,
  content_sha256 text NOT NULL,
  sections jsonb NOT NULL,
  redactions jsonb NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, request_id) REFERENCES privacy_request (municipality_id, id)
);

-- 訂正: every field changed on a correction decision, with the earlier value.
CREATE TABLE person_correction (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  request_id uuid NOT NULL,
  field text NOT NULL,
  old_value text,
  new_value text,
  corrected_at timestamptz NOT NULL,
  corrected_by uuid,
  PRIMARY KEY (municipality_id, id),
  -- the history goes with the person when retention disposes of the record
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_id, request_id) REFERENCES privacy_request (municipality_id, id)
);
CREATE INDEX person_correction_by_person ON person_correction (municipality_id, person_id, corrected_at);

-- 利用停止: while a row here is not lifted, the person's record is not used for
-- new cases, referrals or consent-based shares (privacy/suspension.ts).
CREATE TABLE use_suspension (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  request_id uuid NOT NULL,
  suspended_on date NOT NULL,
  suspended_at timestamptz NOT NULL,
  suspended_by uuid,
  lifted_on date,
  lifted_at timestamptz,
  lifted_by uuid,
  lift_reason text,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_id, request_id) REFERENCES privacy_request (municipality_id, id),
  CHECK ((lifted_at IS NULL) = (lift_reason IS NULL))
);
CREATE INDEX use_suspension_active ON use_suspension (municipality_id, person_id) WHERE lifted_at IS NULL;
