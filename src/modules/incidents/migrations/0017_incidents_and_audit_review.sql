-- The privacy officer's tools (security issue #13): the incident register
-- (個人情報の漏えい等, 個人情報保護法第68条), the settings the audit review and
-- the incident deadlines use, and the index the "whose records did this
-- account read?" query needs. One migration for both, as one number was given.

-- Who read what, by account and time: the incident query (everyone whose
-- records one account read in a window) and the review's user filter. The
-- older audit_event_by_actor does not lead with municipality_id.
CREATE INDEX audit_event_by_municipality_actor ON audit_event (municipality_id, actor_user_id, occurred_at);
-- The review's period filters and its newest-first pages.
CREATE INDEX audit_event_by_time ON audit_event (municipality_id, occurred_at, seq);

-- Per-municipality overrides of the review thresholds, working hours and the
-- incident reporting periods (defaults and their sources in code:
-- src/modules/audit/settings.ts). Absent keys take the defaults.
CREATE TABLE privacy_setting (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (municipality_id)
);

CREATE TABLE privacy_incident_counter (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  fiscal_year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (municipality_id, fiscal_year)
);

CREATE TABLE privacy_incident (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  reference text NOT NULL,
  title text NOT NULL,
  -- when the city knew of it: the reporting periods run from this moment
  discovered_at timestamptz NOT NULL,
  occurred_from timestamptz,
  occurred_to timestamptz,
  description text NOT NULL,
  data_kinds text[] NOT NULL DEFAULT '{}',
  sensitive_data boolean NOT NULL,
  financial_harm_risk boolean NOT NULL DEFAULT false,
  unauthorized_purpose boolean NOT NULL,
  -- how many persons are (or may be) affected, which can exceed those identified below
  persons_count integer CHECK (persons_count >= 0),
  status text NOT NULL CHECK (status IN ('investigating', 'contained', 'closed')),
  closed_at timestamptz,
  recorded_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, reference),
  CHECK (occurred_to IS NULL OR occurred_from IS NULL OR occurred_from <= occurred_to)
);
CREATE INDEX privacy_incident_by_discovery ON privacy_incident (municipality_id, discovered_at DESC, id DESC);

-- The persons affected, with their notification (本人通知, 法第68条第2項).
-- No foreign key to person: a retention purge must still be able to dispose
-- of a person; the register then keeps only the id.
CREATE TABLE privacy_incident_person (
  municipality_id uuid NOT NULL,
  incident_id uuid NOT NULL,
  person_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'access_query')),
  added_at timestamptz NOT NULL,
  added_by uuid,
  notified_on date,
  notification_method text,
  PRIMARY KEY (municipality_id, incident_id, person_id),
  FOREIGN KEY (municipality_id, incident_id) REFERENCES privacy_incident (municipality_id, id)
);

-- Reports to the 個人情報保護委員会: 速報 (preliminary) and 確報 (final).
CREATE TABLE privacy_incident_report (
  municipality_id uuid NOT NULL,
  incident_id uuid NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('preliminary', 'final')),
  reported_on date NOT NULL,
  note text,
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, incident_id, seq),
  FOREIGN KEY (municipality_id, incident_id) REFERENCES privacy_incident (municipality_id, id)
);

-- What was done: containment, investigation, prevention.
CREATE TABLE privacy_incident_action (
  municipality_id uuid NOT NULL,
  incident_id uuid NOT NULL,
  seq integer NOT NULL,
  taken_at timestamptz NOT NULL,
  description text NOT NULL,
  recorded_by uuid,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, incident_id, seq),
  FOREIGN KEY (municipality_id, incident_id) REFERENCES privacy_incident (municipality_id, id)
);
