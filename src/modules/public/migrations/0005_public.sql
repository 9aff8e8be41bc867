-- The public side's own small store: what residents submit waits here until
-- the staff side takes it in, then it is deleted. Nothing here refers to case
-- data, so the public side can run apart with only these tables.

CREATE TABLE public_inbox (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('concern')),
  payload jsonb NOT NULL,
  receipt_code text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id)
);
CREATE INDEX public_inbox_by_time ON public_inbox (received_at);

-- Proof-of-work challenges already used, so a solved one cannot be replayed.
CREATE TABLE public_challenge_used (
  token_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Keys shared by every instance (challenge signing).
CREATE TABLE public_secret (
  name text PRIMARY KEY,
  value text NOT NULL
);
