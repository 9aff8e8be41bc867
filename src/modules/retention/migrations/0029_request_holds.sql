-- An open request of the person (開示・訂正・利用停止) holds their records:
-- nothing is disposed of until the request is decided.
ALTER TABLE legal_hold ADD COLUMN privacy_request_id uuid;
ALTER TABLE legal_hold ADD CONSTRAINT legal_hold_privacy_request_fk FOREIGN KEY (municipality_id, privacy_request_id) REFERENCES privacy_request (municipality_id, id);
CREATE UNIQUE INDEX legal_hold_one_per_request ON legal_hold (municipality_id, privacy_request_id) WHERE privacy_request_id IS NOT NULL;
