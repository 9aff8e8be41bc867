-- Mental-health outreach (精神保健アウトリーチ支援事業): a person on a case is
-- enrolled in an outreach program, visited on a plan, and the visits record the
-- stage (要配慮: served only to full-access participants with the grant).
-- Rows go with their case when retention purges it (ON DELETE CASCADE).

CREATE TABLE outreach_enrolment (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  program_id uuid NOT NULL,
  case_id uuid NOT NULL,
  enrolled_by_organization_id uuid NOT NULL,
  enrolled_by uuid,
  enrolled_at timestamptz NOT NULL,
  enrolled_on date NOT NULL,
  -- what the enrolment rests on (the referral share bases, network/vocabulary.ts SHARE_BASES)
  legal_basis text NOT NULL,
  consent_id uuid,
  meeting_series_id uuid,
  meeting_date date,
  meeting_session_id uuid,
  basis_paragraph integer,
  basis_reason text,
  -- the visit plan
  interval_days integer NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
  next_visit_on date,
  stage text NOT NULL DEFAULT 'no_contact' CHECK (stage IN ('no_contact', 'family_contact', 'meets_visitor', 'goes_out', 'connected')),
  last_visit_on date,
  ended_at timestamptz,
  ended_by uuid,
  end_destination text CHECK (end_destination IN ('medical', 'program', 'drop_in', 'none')),
  end_note text,
  end_referral_id uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, enrolled_by_organization_id) REFERENCES organization (municipality_id, id)
);
-- one open enrolment of a case per program
CREATE UNIQUE INDEX outreach_enrolment_open ON outreach_enrolment (municipality_id, program_id, case_id) WHERE ended_at IS NULL;
CREATE INDEX outreach_enrolment_by_case ON outreach_enrolment (municipality_id, case_id);

CREATE TABLE outreach_visit (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  enrolment_id uuid NOT NULL,
  case_id uuid NOT NULL,
  visited_on date NOT NULL,
  -- [{ organizationId, profession }]
  visitors jsonb NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 0 AND 1440),
  place text NOT NULL CHECK (place IN ('home', 'door', 'outside')),
  met text NOT NULL CHECK (met IN ('person', 'family_only', 'nobody')),
  what_happened text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('no_contact', 'family_contact', 'meets_visitor', 'goes_out', 'connected')),
  next_visit_on date,
  organization_id uuid NOT NULL,
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, enrolment_id) REFERENCES outreach_enrolment (municipality_id, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX outreach_visit_by_enrolment ON outreach_visit (municipality_id, enrolment_id, visited_on);
CREATE INDEX outreach_visit_by_case ON outreach_visit (municipality_id, case_id, visited_on);
