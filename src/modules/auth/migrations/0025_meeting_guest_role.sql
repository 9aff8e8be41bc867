-- A meeting guest (a welfare commissioner, a person with lived experience)
-- signs in only to see what their invitation to a session allows.
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check
  CHECK (role IN ('system_admin', 'hub_coordinator', 'org_staff', 'auditor', 'prefecture_staff', 'privacy_officer', 'meeting_guest'));
