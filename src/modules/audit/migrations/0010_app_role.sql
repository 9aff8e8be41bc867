-- Two database roles (security issue): the owner runs migrations and purges;
-- the application serves as a member of tsunagu_app, which may add audit rows
-- but never change or remove them. A city grants tsunagu_app to the login role
-- the app uses (see README, "PostgreSQL roles"). Roles are cluster-wide, so the
-- role is created once and granted per database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
    CREATE ROLE tsunagu_app NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO tsunagu_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tsunagu_app;
-- tables added by later migrations (run by the owner) get the same
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tsunagu_app;

REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM tsunagu_app;
REVOKE DELETE, TRUNCATE ON audit_chain_head FROM tsunagu_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM tsunagu_app;
