-- Messages to people (alerts to a privacy officer, reminders) are written in the
-- same transaction as what caused them and delivered later by a job, so none is
-- lost when a sender is down. An alert addressed to a role reaches every active
-- member with that role in the municipality; in the app it shows until read.
CREATE TABLE message_outbox (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  kind text NOT NULL,
  to_role text,
  to_user_id uuid REFERENCES app_user (id),
  subject text NOT NULL,
  body text NOT NULL,
  -- what the message is about, for a link in the app (never personal data in the text)
  entity_type text,
  entity_id uuid,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (municipality_id, id),
  CHECK (to_role IS NOT NULL OR to_user_id IS NOT NULL)
);
CREATE INDEX message_outbox_unsent ON message_outbox (created_at) WHERE sent_at IS NULL;

CREATE TABLE message_read (
  municipality_id uuid NOT NULL,
  message_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  read_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, message_id, user_id),
  FOREIGN KEY (municipality_id, message_id) REFERENCES message_outbox (municipality_id, id)
);
