-- Event registrations, kept on the public side only: the least data (a
-- nickname, an email or phone for reminders, an optional municipality). The
-- staff side pulls counts, never these rows. Each row is deleted a set time
-- after its event (delete_after), and at once when cancelled.

CREATE TABLE public_event_registration (
  municipality_id uuid NOT NULL,
  event_id uuid NOT NULL,
  id uuid NOT NULL,
  nickname text NOT NULL,
  email text,
  phone text,
  from_municipality text,
  status text NOT NULL CHECK (status IN ('registered', 'waiting')),
  cancel_code_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  promoted_at timestamptz,
  delete_after timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id)
);
CREATE INDEX public_event_registration_by_event ON public_event_registration (municipality_id, event_id, status, created_at);
CREATE INDEX public_event_registration_by_expiry ON public_event_registration (delete_after);
