/**
 * What the signed-in role may do, as the server's routes decide it
 * (src/modules/intake/routes.ts, src/modules/routing/routes.ts). The UI only
 * leaves out what would be refused; the server still decides.
 */

/** Record, list and route consultations; try rules on an intake. */
export const mayHandleConsultations = (role: string) => role === 'hub_coordinator' || role === 'org_staff';

/** The hub desk: sees every organisation's queue, may act for any, sees who sent a concern report. */
export const isHub = (role: string) => role === 'hub_coordinator';

/** Read the routing rules and their history. */
export const mayViewRules = (role: string) => role === 'hub_coordinator' || role === 'system_admin';

/** Change the routing rules. */
export const mayEditRules = (role: string) => role === 'hub_coordinator';

/** 利用者と権限: staff, their roles and 要配慮 grants (src/modules/auth/routes.ts GET /api/users). */
export const mayViewUsers = (role: string) => role === 'system_admin' || role === 'privacy_officer';

/** Give or take back a membership's 要配慮 grant (PUT …/sensitive-access); privacy officers only read. */
export const mayChangeGrants = (role: string) => role === 'system_admin';

/**
 * Support cases and referrals (src/modules/cases/routes.ts, src/modules/referrals/routes.ts).
 * How much of one case an organisation sees is the server's answer (`access`), not decided here.
 */
export const mayWorkWithCases = (role: string) => role === 'hub_coordinator' || role === 'org_staff';

/** Review the audit and read the incident register (src/modules/audit/routes.ts, src/modules/incidents/routes.ts). */
export const mayReviewAudit = (role: string) => role === 'privacy_officer' || role === 'auditor';

/** Keep the incident register: register incidents, record reports, actions and notifications. */
export const mayKeepIncidents = (role: string) => role === 'privacy_officer';
/** The person's requests (開示・訂正・利用停止) and the disclosure package (src/modules/privacy/routes.ts). */
export const mayHandlePrivacyRequests = (role: string) => role === 'privacy_officer';

/** The 個人情報ファイル簿. */
export const mayReadFileRegister = (role: string) => role === 'privacy_officer' || role === 'system_admin';

/** 緊急時の閲覧: open a case one cannot see, read only, in an emergency (src/modules/cases/breakGlassRoutes.ts). */
export const mayBreakGlass = (role: string) => role === 'hub_coordinator' || role === 'org_staff';

/** 緊急時の閲覧の確認: every use; privacy officers close the reviews, auditors read. */
export const mayReadBreakGlassUses = (role: string) => role === 'privacy_officer' || role === 'auditor';

/** Close the review of a use with a finding. */
export const mayReviewBreakGlass = (role: string) => role === 'privacy_officer';

/**
 * 会議: the calendar of sessions, the series, and the sessions one is invited
 * to (src/modules/meetings/routes.ts). Guests (民生委員, persons with lived
 * experience) reach only the sessions they are invited to.
 */
export const mayUseMeetings = (role: string) => role === 'hub_coordinator' || role === 'org_staff' || role === 'meeting_guest';

/**
 * The 会議 page (calendar and series): those who take part, and the privacy
 * officer and auditors, who review the confidentiality acknowledgements on
 * file there; only the first open sessions.
 */
export const mayViewMeetingSchedule = (role: string) => mayUseMeetings(role) || role === 'privacy_officer' || role === 'auditor';

/** 守秘義務の確認 on file for a 支援会議 (GET /api/meetings/series/:id/acknowledgements). */
export const mayReadAcknowledgements = (role: string) => role === 'hub_coordinator' || role === 'privacy_officer' || role === 'auditor';

/** Run meetings: schedules, agendas, attendance, minutes, decisions (the hub coordinator). */
export const mayRunMeetings = (role: string) => role === 'hub_coordinator';

/** 対応事項: the action items of the user's organisation (the hub: every organisation's). */
export const mayFollowActionItems = (role: string) => role === 'hub_coordinator' || role === 'org_staff';

/** 統一見解: the agreed rules, read by every staff role of the municipality. */
export const mayReadAgreedRules = (role: string) => ['hub_coordinator', 'org_staff', 'system_admin', 'privacy_officer', 'auditor'].includes(role);

/** 年度の数字: the hub and auditors for the municipality, organisation staff for their own organisation (src/modules/stats/service.ts). */
export const mayViewFigures = (role: string) => role === 'hub_coordinator' || role === 'org_staff' || role === 'auditor';

/** Open the records behind a figure: only roles that work with records (auditors see counts only). */
export const mayDrillIntoFigures = (role: string) => role === 'hub_coordinator' || role === 'org_staff';

/** The prefecture's centre: its visits, networks side by side and proposals (src/modules/prefecture/routes.ts). */
export const isPrefectureStaff = (role: string) => role === 'prefecture_staff';
/** 巡回相談: the municipality's window (and its hub) books the sessions of the centre's consultation days. */
export const mayBookConsultationDays = (role: string) => role === 'municipal_window' || role === 'hub_coordinator';
/** 支援者交流会・研修: the municipality's hub and window staff are invited and register their colleagues. */
export const mayRegisterForSupporterMeetings = (role: string) => role === 'municipal_window' || role === 'hub_coordinator';

/** Write visit records, correct them, and turn gap findings into proposals: the centre only. */
export const mayWriteVisits = (role: string) => role === 'prefecture_staff';

/** Read the visit records and the centre's proposals: the centre, and the municipality's hub and auditors for their own. */
export const mayReadVisits = (role: string) => role === 'prefecture_staff' || role === 'hub_coordinator' || role === 'auditor';

/** Answer the centre's proposals to the municipality: its hub. */
export const mayAnswerProposals = (role: string) => role === 'hub_coordinator';
/** 多職種専門チーム: the centre schedules conferences, members give advice. */
export const mayWorkWithExpertTeam = (role: string) => role === 'prefecture_staff' || role === 'expert_member';

/** 訪問相談: the municipality's window records home-visit applications (src/modules/prefecture/homeVisitRoutes.ts). */
export const mayApplyForHomeVisits = (role: string) => role === 'municipal_window' || role === 'hub_coordinator';
