-- 保護管理者: a municipality's privacy officer reviews the audit, handles the
-- person's requests and incidents, and receives alerts.
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check
  CHECK (role IN ('system_admin', 'hub_coordinator', 'org_staff', 'auditor', 'prefecture_staff', 'privacy_officer'));

-- The 要配慮 grant is held per membership: none by default, given by an admin
-- after step-up; who gave it and when is kept here and in the audit.
ALTER TABLE membership ADD COLUMN sensitive_access boolean NOT NULL DEFAULT false;
ALTER TABLE membership ADD COLUMN sensitive_granted_at timestamptz;
ALTER TABLE membership ADD COLUMN sensitive_granted_by uuid REFERENCES app_user (id);
