-- 巡回相談: the reminder to the resident, the day before the booked session, at the
-- contact the window recorded (the architecture's outbox for people outside the
-- staff: as the public side's event reminders). An email goes out through the
-- outside sender; a phone number cannot be reached automatically, so the
-- reminder becomes a call task for the booking window (a staff alert) and is
-- recorded here as handed to the window. One row per booking, session and
-- start: a booking moved to another session, or a day the centre re-planned to
-- another date or time, is reminded again for the new one. The message
-- is rendered when it is sent, from the booking as it then is (nickname, date
-- and time, place, nothing more), so the contact stays in the booking alone.
-- Claimed before it is sent and marked sent after, so it goes once.
CREATE TABLE consultation_day_reminder (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  booking_id uuid NOT NULL,
  session_id uuid NOT NULL,
  -- the session's start when the reminder was queued (a re-planned day is reminded again)
  starts_at timestamptz NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'phone')),
  created_at timestamptz NOT NULL,
  claimed_until timestamptz,
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  -- the booking was cancelled or moved before the reminder went: it is not sent
  dropped_at timestamptz,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, booking_id, session_id, starts_at),
  FOREIGN KEY (municipality_id, booking_id) REFERENCES consultation_day_booking (municipality_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_day_reminder_unsent ON consultation_day_reminder (created_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

