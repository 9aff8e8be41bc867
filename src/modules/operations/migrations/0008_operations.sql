-- Platform operations: idempotent retries of state-changing requests, and
-- scheduled jobs that run once across all instances.

CREATE TABLE idempotency_key (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'done')),
  response_status integer,
  response_body text,
  response_type text,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

CREATE TABLE job_run (
  job text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text,
  detail jsonb,
  PRIMARY KEY (job, started_at)
);
