-- 訪問相談: the prefecture centre's home visits, applied for by a municipality's
-- window with the person's or family's consent. Rows belong to the municipality
-- whose resident it concerns; prefecture_id is the centre's tenant. The
-- application keeps what the window recorded; the centre is shown only the
-- fields the consent covers (consent_fields), built field by field in code.
CREATE TABLE home_visit_application (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL REFERENCES municipality (id),
  case_id uuid,
  person_name text,
  age integer NOT NULL CHECK (age >= 0 AND age < 130),
  contact text,
  situation text,
  past_compulsory_schooling boolean NOT NULL,
  lives_in_municipality boolean NOT NULL,
  months_withdrawn integer NOT NULL CHECK (months_withdrawn >= 0),
  -- the consent: who gave it, when, how, and which fields it lets pass to the centre
  consent_by text NOT NULL CHECK (consent_by IN ('person', 'family')),
  consenter_relation text,
  consented_on date NOT NULL,
  consent_method text NOT NULL CHECK (consent_method IN ('in_person', 'phone', 'written')),
  consent_fields jsonb NOT NULL DEFAULT '[]',
  eligible boolean NOT NULL,
  failed_reasons jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN ('not_passed', 'passed', 'accepted', 'handed_back')),
  -- the crossing to the centre, on the person's consent
  legal_basis text CHECK (legal_basis IN ('consent')),
  passed_at timestamptz,
  applied_by uuid,
  applied_organization_id uuid NOT NULL,
  applied_role text NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid,
  -- the hand-back: a referral on the case, or a consultation at a local organisation
  handback_organization_id uuid,
  handback_referral_id uuid,
  handback_consultation_id uuid,
  handback_note text,
  handed_back_at timestamptz,
  handed_back_by uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, applied_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, handback_organization_id) REFERENCES organization (municipality_id, id),
  CHECK ((status = 'not_passed') = (legal_basis IS NULL))
);
CREATE INDEX home_visit_application_by_prefecture ON home_visit_application (prefecture_id, created_at DESC);
CREATE INDEX home_visit_application_by_municipality ON home_visit_application (municipality_id, created_at DESC);

-- The centre's visits under an application (like programs' outreach visits).
CREATE TABLE home_visit (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL REFERENCES municipality (id),
  application_id uuid NOT NULL,
  visited_on date NOT NULL,
  visitors jsonb NOT NULL DEFAULT '[]',
  place text NOT NULL,
  met text NOT NULL,
  what_happened text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, application_id) REFERENCES home_visit_application (municipality_id, id)
);
CREATE INDEX home_visit_by_application ON home_visit (municipality_id, application_id, visited_on);
