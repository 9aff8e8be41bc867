-- WebAuthn passkeys (security keys and platform authenticators) as a second
-- factor beside TOTP, which stays and cannot be removed. A user may register
-- several; each keeps its public key and the signature counter it last
-- reported, so a cloned authenticator replaying an old counter is refused.
CREATE TABLE passkey (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  -- base64url, as the browser gives it; unique across all users
  credential_id text NOT NULL,
  -- COSE public key, base64url
  public_key text NOT NULL,
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  -- 'singleDevice' (a security key) or 'multiDevice' (synced by the platform)
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL DEFAULT false,
  aaguid text,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE UNIQUE INDEX passkey_credential ON passkey (credential_id);
CREATE INDEX passkey_by_user ON passkey (user_id);

-- The one outstanding WebAuthn challenge of a session: what it is for, and
-- until when. Taken (and cleared) by the answer, so each works once.
ALTER TABLE user_session ADD COLUMN webauthn_challenge text;
ALTER TABLE user_session ADD COLUMN webauthn_purpose text CHECK (webauthn_purpose IN ('sign_in', 'step_up', 'register'));
ALTER TABLE user_session ADD COLUMN webauthn_expires_at timestamptz;
