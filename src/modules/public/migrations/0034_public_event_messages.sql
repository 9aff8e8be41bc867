-- The public side's own outbox: reminders and notices to event registrants.
-- Their contacts stay in public_event_registration on this side; a message is
-- rendered from the registration and the published event when it is sent, so
-- no contact crosses to the staff side. Each row goes with its registration
-- (cancelled, or deleted the set days after the event).
--
-- cancel_code is the registrant's code to cancel with, which the registration
-- keeps only as a hash: the reminder carries the cancel link.

CREATE TABLE public_event_message (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  registration_id uuid NOT NULL,
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reminder', 'moved_up')),
  cancel_code text NOT NULL,
  created_at timestamptz NOT NULL,
  -- an instance sending it holds it until then, so two instances never send it twice
  claimed_until timestamptz,
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, registration_id, kind),
  FOREIGN KEY (municipality_id, registration_id) REFERENCES public_event_registration (municipality_id, id) ON DELETE CASCADE
);
CREATE INDEX public_event_message_unsent ON public_event_message (created_at) WHERE sent_at IS NULL;
