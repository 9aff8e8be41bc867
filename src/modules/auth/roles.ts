/** Roles a membership can carry (one per user and organisation). */
export const ROLES = ['system_admin', 'hub_coordinator', 'org_staff', 'auditor', 'prefecture_staff', 'privacy_officer', 'meeting_guest', 'expert_member', 'municipal_window'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { ja: string; en: string }> = {
  system_admin: { ja: 'システム管理者', en: 'System administrator' },
  hub_coordinator: { ja: '中心窓口コーディネーター', en: 'Hub coordinator' },
  org_staff: { ja: '機関職員', en: 'Organisation staff' },
  auditor: { ja: '監査担当', en: 'Auditor' },
  prefecture_staff: { ja: '都道府県職員', en: 'Prefecture staff' },
  privacy_officer: { ja: '保護管理者', en: 'Privacy officer' },
  meeting_guest: { ja: '会議ゲスト', en: 'Meeting guest' },
  expert_member: { ja: '多職種専門チーム委員', en: 'Expert-team member' },
  municipal_window: { ja: '市区町村窓口職員', en: 'Municipal window staff' },
};
