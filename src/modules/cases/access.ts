/**
 * Who may see a case, and how much (the cases issue; ARCHITECTURE "Security model").
 *
 * - full: the hub coordinator (the whole municipality); the lead organisation;
 *   a participant or referral receiver that the person's active consent names.
 * - referral: a participant or referral receiver without such consent sees the
 *   referrals addressed to it and what its own organisation recorded, never
 *   the person's identity or other organisations' records.
 * - meeting: a member organisation of a statutory support meeting (支援会議)
 *   whose open session has the case on its agenda sees the person and the
 *   plan, read only, for the session's window (meetings/sharing.ts); beyond
 *   that, what it would see at level referral.
 * - none: everyone else, and every other municipality. A case at level none
 *   answers 404 everywhere, so its existence does not leak.
 */
export type AccessLevel = 'full' | 'meeting' | 'referral' | 'none';

export interface Viewer {
  municipalityId: string;
  organizationId: string;
  role: string;
}

export interface CaseRelations {
  leadOrganizationId: string;
  /** Organisations with an active participation (participant or referral receiver). */
  participants: string[];
  /** Organisations an active consent of the person names. */
  consented: string[];
  /** Organisations (with an acknowledging user) of a 支援会議 whose open session has the case on its agenda. */
  meetingShared?: string[];
}

/** The pure rule; the SQL below must agree with it (a matrix test checks both). */
export function accessLevel(viewer: Viewer, c: CaseRelations): AccessLevel {
  const level = relationLevel(viewer, c);
  return level !== 'full' && viewer.role === 'org_staff' && c.meetingShared?.includes(viewer.organizationId) ? 'meeting' : level;
}

function relationLevel(viewer: Viewer, c: CaseRelations): AccessLevel {
  if (viewer.role === 'hub_coordinator') return 'full';
  if (viewer.role !== 'org_staff') return 'none';
  if (c.leadOrganizationId === viewer.organizationId) return 'full';
  if (!c.participants.includes(viewer.organizationId)) return 'none';
  return c.consented.includes(viewer.organizationId) ? 'full' : 'referral';
}

/** `perRow`: checked for each row as it comes (see caseTakenPartInSql), not hashed or joined by the planner. */
const participatesSql = (orgParam: string, municipalityParam: string, perRow = false) =>
  `EXISTS (SELECT 1 FROM case_participant cp WHERE cp.municipality_id = ${municipalityParam}::uuid AND cp.municipality_id = c.municipality_id AND cp.case_id = c.id
                AND cp.organization_id = ${orgParam}::uuid AND cp.until IS NULL${perRow ? ' OFFSET 0' : ''})`;

const consentNamesSql = (orgParam: string, municipalityParam: string) =>
  `SELECT 1 FROM consent k JOIN consent_organization ko ON ko.municipality_id = k.municipality_id AND ko.consent_id = k.id
   WHERE k.municipality_id = ${municipalityParam}::uuid AND ko.municipality_id = ${municipalityParam}::uuid
     AND k.municipality_id = c.municipality_id AND k.person_id = c.person_id AND k.withdrawn_at IS NULL
     AND ko.organization_id = ${orgParam}::uuid`;

/**
 * The same rule in SQL (without meeting shares, which hold only for a
 * session's window and are added by loadCase for reads of one case), for lists, searches and counts, over a support_case
 * aliased `c`. Parameters: role, organisation id and municipality (at the given
 * positions). The municipality is repeated in the subqueries so the planner can
 * use the organisation-led indexes (migration 0009) within one tenant.
 */
export function accessLevelSql(roleParam: string, orgParam: string, municipalityParam = '$1'): string {
  return `(CASE
    WHEN ${roleParam}::text = 'hub_coordinator' THEN 'full'
    WHEN ${roleParam}::text <> 'org_staff' THEN 'none'
    WHEN c.lead_organization_id = ${orgParam}::uuid THEN 'full'
    WHEN NOT ${participatesSql(orgParam, municipalityParam)} THEN 'none'
    WHEN EXISTS (${consentNamesSql(orgParam, municipalityParam)}) THEN 'full'
    ELSE 'referral' END)`;
}

/**
 * `accessLevelSql(…) <> 'none'` without the consent check, which only tells
 * full from referral: for filters over many cases. `perRow` as in caseTakenPartInSql.
 */
export function caseVisibleSql(roleParam: string, orgParam: string, municipalityParam = '$1', perRow = false): string {
  return `(${roleParam}::text = 'hub_coordinator' OR (${roleParam}::text = 'org_staff'
    AND (c.lead_organization_id = ${orgParam}::uuid OR ${participatesSql(orgParam, municipalityParam, perRow)})))`;
}

/**
 * The cases the actor's organisation takes part in now (the "mine" list): some of caseVisibleSql's, as
 * taking part is enough for staff to see a case. `perRow`, for an organisation in many of the
 * municipality's cases: the participation is looked up for each case as the page is filled in the
 * cases' order. Left to itself the planner hashes every participation of the organisation first (inside
 * an OR), or joins them all and sorts (a plain EXISTS, when it guesses most cases match): at the tokyo
 * size, 5–25 ms a page for the busiest organisations, against 2.6–5.9 ms. `OFFSET 0` keeps the
 * subquery from being pulled up into a join or hashed. For an organisation in few cases that order is
 * the slow one (every case of the municipality checked to fill a page), and the join is right: see
 * readsCaseByCase.
 */
export function caseTakenPartInSql(roleParam: string, orgParam: string, municipalityParam = '$1', perRow = true): string {
  return `(${roleParam}::text IN ('hub_coordinator', 'org_staff') AND ${participatesSql(orgParam, municipalityParam, perRow)})`;
}

/**
 * For a page of cases already filtered by caseVisibleSql: the level of each
 * (full or referral), with the consent looked up per row by the person (a
 * lateral join), where accessLevelSql's subquery would read every consent
 * naming the organisation. `levelSql` goes in the select list, `joinSql`
 * after the page's FROM, over rows aliased `c`.
 */
export function visibleLevelSql(roleParam: string, orgParam: string, municipalityParam = '$1'): { levelSql: string; joinSql: string } {
  return {
    levelSql: `(CASE WHEN ${roleParam}::text = 'hub_coordinator' OR c.lead_organization_id = ${orgParam}::uuid OR kc.consented THEN 'full' ELSE 'referral' END)`,
    joinSql: `LEFT JOIN LATERAL (SELECT true AS consented FROM (${consentNamesSql(orgParam, municipalityParam)}) n LIMIT 1) kc ON ${roleParam}::text = 'org_staff'`,
  };
}
