-- A timeline entry that names 要配慮 matters keeps that text apart, for users
-- who hold the grant; everyone else reads `summary`, which leaves them out.
ALTER TABLE case_event ADD COLUMN summary_sensitive text;
