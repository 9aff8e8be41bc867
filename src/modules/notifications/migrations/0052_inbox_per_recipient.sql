-- お知らせ: the inbox and its unread count read the alerts addressed to the
-- user and those addressed to their role, each newest first from its own
-- index, instead of every alert of the municipality (notifications/service.ts).
CREATE INDEX message_outbox_to_user ON message_outbox (municipality_id, to_user_id, created_at, id) WHERE to_user_id IS NOT NULL;
CREATE INDEX message_outbox_to_role ON message_outbox (municipality_id, to_role, created_at, id) WHERE to_role IS NOT NULL;
DROP INDEX message_outbox_inbox;

-- すべて既読: the alerts created up to `read_through` count as read for the
-- user (read at `marked_at`), so the unread count reads only later ones.
CREATE TABLE message_read_through (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  read_through timestamptz NOT NULL,
  marked_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, user_id)
);
