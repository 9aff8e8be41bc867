-- お知らせ pages by keyset, newest first (notifications/service.ts listInbox):
-- read backwards from this index instead of sorting every alert of the municipality.
CREATE INDEX message_outbox_inbox ON message_outbox (municipality_id, created_at, id);
