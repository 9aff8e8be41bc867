-- Append-only audit of every read and write of personal data, sign-ins and
-- configuration changes. Each municipality has its own hash chain (platform-wide
-- events use the nil uuid), so tenants append without waiting for each other
-- and the table distributes by municipality like the rest.

CREATE TABLE audit_event (
  municipality_id uuid NOT NULL,
  seq bigint NOT NULL,
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_user_id uuid,
  actor_login text,
  organization_id uuid,
  role text,
  action text NOT NULL,
  entity_type text,
  entity_id text,
  reason text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  request_id text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (municipality_id, seq)
);
CREATE INDEX audit_event_by_entity ON audit_event (municipality_id, entity_type, entity_id);
CREATE INDEX audit_event_by_actor ON audit_event (actor_user_id, occurred_at);

CREATE TABLE audit_chain_head (
  municipality_id uuid PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER audit_event_append_only
  BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
