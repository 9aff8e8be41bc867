-- The centre's list of 訪問相談 applications pages in the order they were passed
-- to it (passed_at, then id, both descending): without this index each page
-- read and sorted every application of the prefecture.
CREATE INDEX home_visit_application_passed ON home_visit_application (prefecture_id, passed_at DESC, id DESC) WHERE status <> 'not_passed';
