-- 要配慮: a profile may mark its own issue tags as sensitive (the national ones are marked in code).
ALTER TABLE issue_tag ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
