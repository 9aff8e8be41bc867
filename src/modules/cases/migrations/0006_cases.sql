-- Cases (支援ケース): the person and household, the case with its participants,
-- contact records, assessments, plans, consent, and the case timeline that
-- other modules append to through the cases service.
-- Personal data lives here and in consultation/concern_report only.

CREATE TABLE case_counter (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  fiscal_year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (municipality_id, fiscal_year)
);

CREATE TABLE person (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  name text,
  name_kana text,
  birth_date date,
  age_band_min integer CHECK (age_band_min BETWEEN 0 AND 130),
  age_band_max integer CHECK (age_band_max BETWEEN 0 AND 130),
  gender text,
  phone text,
  email text,
  address text,
  area_id uuid,
  name_key text NOT NULL DEFAULT '',
  kana_key text NOT NULL DEFAULT '',
  search_grams text[] NOT NULL DEFAULT '{}',
  merged_into_id uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id),
  FOREIGN KEY (municipality_id, merged_into_id) REFERENCES person (municipality_id, id)
);
CREATE INDEX person_search ON person USING gin (search_grams);
CREATE INDEX person_duplicates ON person (municipality_id, kana_key, birth_date);

CREATE TABLE household (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  label text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id)
);

CREATE TABLE household_member (
  municipality_id uuid NOT NULL,
  household_id uuid NOT NULL,
  person_id uuid NOT NULL,
  relation text NOT NULL,
  PRIMARY KEY (municipality_id, household_id, person_id),
  FOREIGN KEY (municipality_id, household_id) REFERENCES household (municipality_id, id),
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id)
);
CREATE INDEX household_member_by_person ON household_member (municipality_id, person_id);

CREATE TABLE support_case (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  reference text NOT NULL,
  person_id uuid NOT NULL,
  household_id uuid,
  lead_organization_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('intake', 'assessment', 'support', 'monitoring', 'closed')),
  complex boolean NOT NULL DEFAULT false,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  closure_reason text,
  last_contact_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, reference),
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id),
  FOREIGN KEY (municipality_id, household_id) REFERENCES household (municipality_id, id),
  FOREIGN KEY (municipality_id, lead_organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX support_case_by_lead ON support_case (municipality_id, lead_organization_id, opened_at DESC, id DESC);
CREATE INDEX support_case_by_person ON support_case (municipality_id, person_id);
CREATE INDEX support_case_opened ON support_case (municipality_id, opened_at DESC, id DESC);

-- Organisations taking part in a case: its lead, participants, and receivers
-- of a referral not yet accepted. `until` ends a participation without losing it.
CREATE TABLE case_participant (
  municipality_id uuid NOT NULL,
  case_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('lead', 'participant', 'referral_receiver')),
  since timestamptz NOT NULL,
  until timestamptz,
  reason text,
  PRIMARY KEY (municipality_id, case_id, organization_id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX case_participant_by_org ON case_participant (municipality_id, organization_id, case_id) WHERE until IS NULL;

CREATE TABLE case_consultation (
  municipality_id uuid NOT NULL,
  case_id uuid NOT NULL,
  consultation_id uuid NOT NULL,
  PRIMARY KEY (municipality_id, case_id, consultation_id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, consultation_id) REFERENCES consultation (municipality_id, id)
);

CREATE TABLE contact_record (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('phone', 'interview', 'home_visit', 'accompaniment', 'meeting', 'other')),
  organization_id uuid NOT NULL,
  staff_user_id uuid,
  staff_name text NOT NULL,
  notes text NOT NULL,
  next_step text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX contact_record_by_case ON contact_record (municipality_id, case_id, occurred_at DESC);

CREATE TABLE assessment (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  assessed_on date NOT NULL,
  organization_id uuid NOT NULL,
  by_user uuid,
  areas jsonb NOT NULL,
  summary text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id)
);

CREATE TABLE support_plan (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  plan_no integer NOT NULL,
  goals jsonb NOT NULL,
  review_date date NOT NULL,
  person_agreed boolean NOT NULL DEFAULT false,
  agreed_on date,
  organization_id uuid NOT NULL,
  by_user uuid,
  created_at timestamptz NOT NULL,
  confirmed_on date,
  confirmed_in text,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, case_id, plan_no),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id)
);
CREATE INDEX support_plan_review ON support_plan (municipality_id, review_date);

CREATE TABLE plan_action (
  municipality_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  seq integer NOT NULL,
  description text NOT NULL,
  organization_id uuid NOT NULL,
  program_id uuid,
  due_date date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  PRIMARY KEY (municipality_id, plan_id, seq),
  FOREIGN KEY (municipality_id, plan_id) REFERENCES support_plan (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id)
);

-- 同意: the person's consent to share information with named organisations.
CREATE TABLE consent (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  person_id uuid NOT NULL,
  given_on date NOT NULL,
  scope text NOT NULL,
  method text NOT NULL CHECK (method IN ('written', 'verbal', 'other')),
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  withdrawn_at timestamptz,
  withdrawal_note text,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, person_id) REFERENCES person (municipality_id, id)
);
CREATE INDEX consent_by_person ON consent (municipality_id, person_id);

CREATE TABLE consent_organization (
  municipality_id uuid NOT NULL,
  consent_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  PRIMARY KEY (municipality_id, consent_id, organization_id),
  FOREIGN KEY (municipality_id, consent_id) REFERENCES consent (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);

-- The case timeline. `organization_id` is the organisation the entry belongs
-- to; `scope` 'case' entries are seen by those with full access only, 'org'
-- entries also by that organisation when it sees just its referral.
CREATE TABLE case_event (
  municipality_id uuid NOT NULL,
  case_id uuid NOT NULL,
  seq integer NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  organization_id uuid,
  scope text NOT NULL CHECK (scope IN ('case', 'org')),
  summary text NOT NULL,
  entity_type text,
  entity_id uuid,
  by_user uuid,
  PRIMARY KEY (municipality_id, case_id, seq),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id)
);
CREATE INDEX case_event_at ON case_event (municipality_id, case_id, at DESC);
