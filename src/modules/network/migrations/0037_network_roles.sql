-- Which part of a local network an organisation, program or meeting series
-- belongs to, in the headings prefecture centres use to describe a
-- municipality's network (中心部門, 民生委員・児童委員との連携…). Kinds give a
-- default; these say what kinds cannot (an internal section that is the
-- city's children and youth department).
ALTER TABLE organization ADD COLUMN network_roles text[] NOT NULL DEFAULT '{}';
ALTER TABLE program ADD COLUMN network_roles text[] NOT NULL DEFAULT '{}';
ALTER TABLE meeting_series ADD COLUMN network_roles text[] NOT NULL DEFAULT '{}';

-- A prefecture's checks of the municipalities' networks, as data: each finds
-- one kind of gap, with parameters and the reason shown beside it.
CREATE TABLE gap_rule (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  key text NOT NULL,
  check_kind text NOT NULL,
  params jsonb NOT NULL,
  reason text NOT NULL,
  reason_en text,
  position integer NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (municipality_id, key)
);

-- A prefecture's `centre` settings (consultation days, home visits, expert team).
ALTER TABLE municipality ADD COLUMN centre_settings jsonb;
