-- A share on a 支援会議 basis points to the session whose agenda held the case.
ALTER TABLE referral ADD COLUMN meeting_session_id uuid;
ALTER TABLE referral ADD CONSTRAINT referral_meeting_session_fk
  FOREIGN KEY (municipality_id, meeting_session_id) REFERENCES meeting_session (municipality_id, id);
