-- Staff accounts, their organisation memberships, and sessions kept in the
-- database so that several app instances share them.

CREATE TABLE app_user (
  id uuid PRIMARY KEY,
  login text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  failed_attempts integer NOT NULL DEFAULT 0,
  -- TOTP (RFC 6238); every staff account enrols, the first sign-in asks for it
  totp_secret text,
  mfa_enrolled_at timestamptz,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX app_user_login ON app_user (lower(login));

CREATE TABLE membership (
  municipality_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  role text NOT NULL CHECK (role IN ('system_admin', 'hub_coordinator', 'org_staff', 'auditor', 'prefecture_staff')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_id, organization_id, user_id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id)
);
CREATE INDEX membership_by_user ON membership (user_id);

-- Single-use recovery codes for a lost authenticator; only hashes are kept.
CREATE TABLE recovery_code (
  user_id uuid NOT NULL REFERENCES app_user (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- The cookie holds a random token; only its hash is stored. A session is
-- 'mfa' after the password, and 'full' once the second factor is given.
CREATE TABLE user_session (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  stage text NOT NULL DEFAULT 'full' CHECK (stage IN ('mfa', 'full')),
  mfa_at timestamptz,
  pending_totp_secret text,
  csrf_token text NOT NULL,
  municipality_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX user_session_by_user ON user_session (user_id);
