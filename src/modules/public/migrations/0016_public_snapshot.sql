-- The public snapshot: what the staff side publishes for residents (the
-- municipality, its public directory, the routing rules' public reasons,
-- events), pushed outward whenever the network changes. The public side
-- serves its pages from here and never asks the staff side for anything.

CREATE TABLE public_snapshot (
  municipality_id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  -- the staff side's hash of the content: it pushes again only when its own differs
  hash text NOT NULL,
  content jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
