-- The network module: tenants and their support network, loaded from profiles.
-- Every tenant-owned table leads its primary key and foreign keys with
-- municipality_id so the schema can be distributed by municipality.
-- Rows removed from a profile are deactivated (active = false), never deleted.

CREATE TABLE municipality (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),
  kind text NOT NULL CHECK (kind IN ('municipality', 'prefecture')),
  name text NOT NULL,
  name_kana text,
  name_en text,
  prefecture_name text NOT NULL,
  population integer,
  population_as_of text,
  notes text[] NOT NULL DEFAULT '{}',
  sources jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_profile_revision (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  revision integer NOT NULL,
  sha256 text NOT NULL,
  source_text text NOT NULL,
  summary jsonb NOT NULL,
  imported_at timestamptz NOT NULL,
  imported_by uuid,
  PRIMARY KEY (municipality_id, revision)
);

CREATE TABLE issue_tag (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  code text NOT NULL,
  label_ja text NOT NULL,
  label_en text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, code)
);

CREATE TABLE area (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  name_en text,
  named boolean NOT NULL DEFAULT true,
  parent_id uuid,
  address_prefixes text[] NOT NULL DEFAULT '{}',
  notes text[] NOT NULL DEFAULT '{}',
  source jsonb,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, key),
  FOREIGN KEY (municipality_id, parent_id) REFERENCES area (municipality_id, id)
);

CREATE TABLE organization (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  name_kana text,
  name_en text,
  kind text NOT NULL,
  internal boolean NOT NULL,
  parent_id uuid,
  hub boolean NOT NULL DEFAULT false,
  staff_count integer,
  opened_on text,
  description text,
  focus text,
  contact jsonb,
  notes text[] NOT NULL DEFAULT '{}',
  source jsonb,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, key),
  FOREIGN KEY (municipality_id, parent_id) REFERENCES organization (municipality_id, id)
);

CREATE TABLE organization_area (
  municipality_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  area_id uuid NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, organization_id, area_id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id)
);

CREATE TABLE meeting_series (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  name_en text,
  cadence jsonb NOT NULL,
  legal_basis text NOT NULL,
  purpose text NOT NULL,
  organizer_id uuid,
  member_level text,
  notes text[] NOT NULL DEFAULT '{}',
  source jsonb,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, key),
  FOREIGN KEY (municipality_id, organizer_id) REFERENCES organization (municipality_id, id)
);

CREATE TABLE meeting_series_member (
  municipality_id uuid NOT NULL,
  series_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, series_id, organization_id),
  FOREIGN KEY (municipality_id, series_id) REFERENCES meeting_series (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);

CREATE TABLE program (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  name_en text,
  kind text NOT NULL,
  description text,
  status text NOT NULL CHECK (status IN ('active', 'planned', 'ended')),
  started_on text,
  age_min integer,
  age_max integer,
  school_stages text[] NOT NULL DEFAULT '{}',
  issue_tags text[] NOT NULL DEFAULT '{}',
  eligibility_description text,
  channels text[] NOT NULL DEFAULT '{}',
  cadence jsonb,
  wide_area boolean NOT NULL DEFAULT false,
  reviewed_in_id uuid,
  public boolean NOT NULL DEFAULT true,
  contact jsonb,
  notes text[] NOT NULL DEFAULT '{}',
  source jsonb,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, key),
  FOREIGN KEY (municipality_id, reviewed_in_id) REFERENCES meeting_series (municipality_id, id),
  CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max)
);

CREATE TABLE program_area (
  municipality_id uuid NOT NULL,
  program_id uuid NOT NULL,
  area_id uuid NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, program_id, area_id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, area_id) REFERENCES area (municipality_id, id)
);

-- Owners of a program: several sections may own one together (共管).
CREATE TABLE program_owner (
  municipality_id uuid NOT NULL,
  program_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, program_id, organization_id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX program_owner_by_organization ON program_owner (municipality_id, organization_id);

-- 委託: the program's owners commission the contractor to run it. ended_on
-- ends the contractor's access to the program's cases (security issue).
CREATE TABLE program_commission (
  municipality_id uuid NOT NULL,
  program_id uuid NOT NULL,
  contractor_id uuid NOT NULL,
  ended_on date,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, program_id, contractor_id),
  FOREIGN KEY (municipality_id, program_id) REFERENCES program (municipality_id, id),
  FOREIGN KEY (municipality_id, contractor_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX program_commission_by_contractor ON program_commission (municipality_id, contractor_id);

-- Routing rules, versioned as whole sets: every change (a profile import or an
-- edit in the rule editor) adds a version, so a past routing can be explained
-- with the rules as they were then. Evaluation is the routing module's.
CREATE TABLE routing_rule_set (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  version integer NOT NULL,
  rules jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('profile', 'editor')),
  note text,
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (municipality_id, version)
);
