-- The privacy officer's list pages through every break-the-glass use, those
-- still to review first, then the newest first (listBreakGlass). Without an
-- index in that order each page sorted every use of the municipality; this
-- one gives the order, so a page reads its own rows. It also finds the open
-- ones alone, which the partial index it replaces did.
DROP INDEX break_glass_open_review;
CREATE INDEX break_glass_review_order ON break_glass (municipality_id, (reviewed_at IS NULL), started_at, id);
