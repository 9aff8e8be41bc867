-- Network-building visits (ネットワーク構築支援事業): the prefecture centre's
-- record of a visit to a municipality, and its points to the municipality.
-- Rows belong to the municipality visited (its hub follows the proposals);
-- prefecture_id is the centre's tenant that wrote them. No personal data.
CREATE TABLE network_visit (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL REFERENCES municipality (id),
  visit_date date NOT NULL,
  starts_at time,
  ends_at time,
  purpose text NOT NULL,
  participants jsonb NOT NULL DEFAULT '[]',
  headings jsonb NOT NULL DEFAULT '[]',
  -- the centre's own section heading as written, ■ fields the layout has no
  -- place for, and lines of an imported text that fit nowhere: kept, never lost
  centre_title text,
  other_fields jsonb NOT NULL DEFAULT '[]',
  unplaced jsonb NOT NULL DEFAULT '[]',
  source_text text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  created_by uuid,
  updated_at timestamptz NOT NULL,
  updated_by uuid,
  PRIMARY KEY (municipality_id, id),
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX network_visit_by_prefecture ON network_visit (prefecture_id, visit_date DESC, id);
CREATE INDEX network_visit_by_municipality ON network_visit (municipality_id, visit_date DESC, id);

-- 情報提供・事例紹介・提案・案内. A proposal has a status the municipality's hub
-- sets; a proposal made from a gap finding between visits has no visit.
CREATE TABLE visit_item (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL REFERENCES municipality (id),
  visit_id uuid,
  position integer NOT NULL,
  heading text,
  kind text NOT NULL CHECK (kind IN ('information', 'case_example', 'proposal', 'guidance')),
  -- 'rule' when the wording rules chose the kind on import, 'staff' once corrected
  kind_set_by text NOT NULL CHECK (kind_set_by IN ('rule', 'staff')),
  body text NOT NULL,
  addressed_to text,
  gap_rule_key text,
  status text CHECK (status IN ('proposed', 'considering', 'adopted', 'declined')),
  status_on date,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, visit_id) REFERENCES network_visit (municipality_id, id),
  CHECK ((kind = 'proposal') = (status IS NOT NULL))
);
CREATE INDEX visit_item_by_visit ON visit_item (municipality_id, visit_id, position);
CREATE INDEX visit_item_open_proposals ON visit_item (prefecture_id, municipality_id) WHERE status IN ('proposed', 'considering');

CREATE TABLE proposal_status_change (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  item_id uuid NOT NULL,
  seq integer NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'considering', 'adopted', 'declined')),
  status_on date NOT NULL,
  note text,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid,
  PRIMARY KEY (municipality_id, item_id, seq),
  FOREIGN KEY (municipality_id, item_id) REFERENCES visit_item (municipality_id, id)
);
