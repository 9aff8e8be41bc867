-- Prefecture work (issue #12): an expert-team member sees only the
-- submissions of conferences they sit on; a municipal window's staff book
-- consultation-day sessions and record home-visit applications.
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check
  CHECK (role IN ('system_admin', 'hub_coordinator', 'org_staff', 'auditor', 'prefecture_staff', 'privacy_officer', 'meeting_guest',
                  'expert_member', 'municipal_window'));
