-- Drop-in days of every place of the municipality page by keyset, newest day
-- first (programs/events.ts listDropInDays without a place).
CREATE INDEX drop_in_day_by_day ON drop_in_day (municipality_id, day DESC, id DESC);
