-- When old audit events are purged (retention), the hash of the last purged
-- event is kept, so what remains still verifies from that point.
CREATE TABLE audit_checkpoint (
  municipality_id uuid PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL,
  purged_at timestamptz NOT NULL
);
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM tsunagu_app;
