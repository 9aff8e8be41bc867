-- The action item queue pages by keyset in its order (open items first, then by
-- due date, as set, and id: meetings/service.ts ACTION_ORDER), for the
-- coordinator over every organisation and for one organisation's own queue.
CREATE INDEX meeting_action_queue ON meeting_action_item (municipality_id, (status <> 'open'), due_on, created_at, id);
CREATE INDEX meeting_action_queue_by_org ON meeting_action_item (municipality_id, organization_id, (status <> 'open'), due_on, created_at, id);
