-- When a commission's last day has passed, the contractor's cases are handed
-- back to the program's owner once; this records that it was done.
ALTER TABLE program_commission ADD COLUMN handed_back_at timestamptz;
