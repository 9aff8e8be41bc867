import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { decodeCursor, encodeCursor } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/service.ts';
import { SHARE_BASES } from '../network/vocabulary.ts';
import { addParticipant, appendCaseEvent, caseAccess, endParticipant, onConsentWithdrawn } from '../cases/service.ts';
import { assertCaseUsable } from '../privacy/suspension.ts';
import { sessionForShare } from '../meetings/sharing.ts';
import { REFERRAL_NEXT as NEXT, REFERRAL_STATUSES, type ReferralStatus } from './types.ts';

export { REFERRAL_STATUSES, type ReferralStatus };

/** How an answer recorded for a partner group (連携団体) reads in the history. */
const PARTNER_ANSWER = '連携団体の回答を代理で記録';
const OPEN: ReferralStatus[] = ['sent', 'accepted', 'first_contact', 'ongoing'];

const LABEL: Record<ReferralStatus, string> = {
  sent: '紹介を送付', accepted: '受諾', declined: '辞退', first_contact: '初回接触', ongoing: '支援継続中', completed: '完了', returned: '差し戻し',
};

export interface OrgRef {
  id: string;
  name: string;
}

export type ShareBasis = (typeof SHARE_BASES)[number]['code'];

/** What a share rests on (DOMAIN.md §3); the fields it needs depend on the basis. */
export interface LegalBasisInput {
  basis: ShareBasis;
  consentId?: string;
  /** A 支援会議 share points to the session whose agenda held the case. */
  meetingSessionId?: string;
  meetingSeriesId?: string;
  meetingDate?: string;
  paragraph?: 2 | 3 | 4;
  reason?: string;
}

export interface LegalBasis {
  basis: ShareBasis | 'not_recorded';
  label: string;
  consentId: string | null;
  /** When the consent was given ('YYYY-MM-DD'), so the receiver can read what the share rests on. */
  consentGivenOn: string | null;
  meeting: { seriesId: string; name: string; date: string; sessionId: string | null } | null;
  paragraph: number | null;
  reason: string | null;
}

export interface Referral {
  id: string;
  caseId: string;
  caseReference: string;
  from: OrgRef;
  to: OrgRef;
  program: OrgRef | null;
  reason: string;
  sharedSummary: string;
  urgency: 'normal' | 'urgent' | 'emergency';
  firstContactDue: string;
  status: ReferralStatus;
  statusNote: string | null;
  sentAt: Date;
  acceptedAt: Date | null;
  firstContactAt: Date | null;
  closedAt: Date | null;
  /** No acceptance, or no first contact, by the due date. */
  overdue: boolean;
  history: { status: string; note: string | null; at: Date; organization: OrgRef | null }[];
  legalBasis: LegalBasis;
  /**
   * The receiver is a prefecture's 連携団体 (partner group): it has no
   * accounts here, so the sender or the hub records its answers on its behalf.
   */
  receiverPartner: { prefectureName: string } | null;
  version: number;
}

interface Row {
  id: string; case_id: string; reference: string; from_organization_id: string; to_organization_id: string; to_program_id: string | null;
  reason: string; shared_summary: string; urgency: Referral['urgency']; first_contact_due: string; status: ReferralStatus; status_note: string | null;
  sent_at: Date; accepted_at: Date | null; first_contact_at: Date | null; declined_at: Date | null; completed_at: Date | null; returned_at: Date | null; version: number;
  legal_basis: ShareBasis | 'not_recorded'; consent_id: string | null; meeting_series_id: string | null; meeting_date: string | null; meeting_session_id: string | null; basis_paragraph: number | null; basis_reason: string | null;
}

function requireStaff(actor: Actor) {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') throw forbidden('Only staff of an organisation or the hub work with referrals.');
}

/** Overdue: still waiting for acceptance, or accepted without first contact, after the due date (Japan date). */
export function isOverdue(r: { status: ReferralStatus; first_contact_due: string }, now: Date): boolean {
  return (r.status === 'sent' || r.status === 'accepted') && japanDate(now) > r.first_contact_due;
}

async function names(db: Db, mid: string) {
  const { rows } = await db.query<{ id: string; name: string; kind: string }>(
    `SELECT id, name, 'org' AS kind FROM organization WHERE municipality_id = $1 UNION ALL SELECT id, name, 'program' FROM program WHERE municipality_id = $1
     UNION ALL SELECT id, name, 'meeting' FROM meeting_series WHERE municipality_id = $1`, [mid]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

const SELECT = `SELECT r.*, c.reference FROM referral r JOIN support_case c ON c.municipality_id = r.municipality_id AND c.id = r.case_id`;

/**
 * Who sees a referral (role and organisation at the given parameters): the
 * hub, its sender, and its receiver — unless it rested on a consent since
 * withdrawn, which ends the receiver's view of what was shared. Over a
 * referral aliased `r`; the statistics count and list with the same rule.
 */
export const referralVisibleSql = (role: string, org: string) =>
  `(${role}::text = 'hub_coordinator' OR r.from_organization_id = ${org} OR (r.to_organization_id = ${org} AND r.share_ended_at IS NULL))`;

/** The same rule over referrals already known to be sent to `org` (written apart: see BOXES). */
const receivedVisibleSql = (role: string, org: string) =>
  `(${role}::text = 'hub_coordinator' OR r.from_organization_id = ${org} OR r.share_ended_at IS NULL)`;

/** Which of these organisations are mirrored partner groups, with their prefecture's name. */
async function partnerReceivers(db: Db, mid: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; prefecture: string }>(
    `SELECT o.id, p.name AS prefecture FROM organization o JOIN municipality p ON p.id = o.partner_source_municipality_id
     WHERE o.municipality_id = $1 AND o.id = ANY($2::uuid[])`, [mid, [...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r.prefecture]));
}

interface EventRow { referral_id: string; status: string; note: string | null; at: Date; organization_id: string | null }

async function present(db: Db, mid: string, rows: Row[], now: Date): Promise<Referral[]> {
  const ids = rows.map((r) => r.id);
  const consentIds = [...new Set(rows.map((r) => r.consent_id).filter((id): id is string => id !== null))];
  const [n, events, consents, partners] = await Promise.all([
    names(db, mid),
    ids.length
      ? db.query<EventRow>(
        'SELECT referral_id, status, note, at, organization_id FROM referral_event WHERE municipality_id = $1 AND referral_id = ANY($2::uuid[]) ORDER BY seq', [mid, ids]).then((r) => r.rows)
      : ([] as EventRow[]),
    consentIds.length
      ? db.query<{ id: string; given_on: string }>('SELECT id, given_on FROM consent WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [mid, consentIds]).then((r) => r.rows)
      : [],
    partnerReceivers(db, mid, rows.map((r) => r.to_organization_id)),
  ]);
  const givenOn = new Map(consents.map((k) => [k.id, k.given_on]));
  const historyOf = new Map<string, EventRow[]>();
  for (const e of events) {
    const history = historyOf.get(e.referral_id);
    if (history) history.push(e);
    else historyOf.set(e.referral_id, [e]);
  }
  const ref = (id: string | null) => (id ? { id, name: n.get(id) ?? '' } : null);
  return rows.map((r) => ({
    id: r.id, caseId: r.case_id, caseReference: r.reference, from: ref(r.from_organization_id)!, to: ref(r.to_organization_id)!, program: ref(r.to_program_id),
    reason: r.reason, sharedSummary: r.shared_summary, urgency: r.urgency, firstContactDue: r.first_contact_due, status: r.status, statusNote: r.status_note,
    sentAt: r.sent_at, acceptedAt: r.accepted_at, firstContactAt: r.first_contact_at, closedAt: r.completed_at ?? r.returned_at ?? r.declined_at,
    overdue: isOverdue(r, now),
    history: (historyOf.get(r.id) ?? []).map((e) => ({ status: e.status, note: e.note, at: e.at, organization: ref(e.organization_id) })),
    legalBasis: {
      basis: r.legal_basis, label: SHARE_BASES.find((b) => b.code === r.legal_basis)?.ja ?? '根拠の記録なし（記録開始前の紹介）', consentId: r.consent_id,
      consentGivenOn: r.consent_id ? givenOn.get(r.consent_id) ?? null : null,
      meeting: r.meeting_series_id ? { seriesId: r.meeting_series_id, name: n.get(r.meeting_series_id) ?? '', date: r.meeting_date!, sessionId: r.meeting_session_id } : null,
      paragraph: r.basis_paragraph, reason: r.basis_reason,
    },
    receiverPartner: partners.has(r.to_organization_id) ? { prefectureName: partners.get(r.to_organization_id)! } : null,
    version: r.version,
  }));
}

export interface SendReferralInput {
  toOrganizationId?: string;
  toProgramId?: string;
  reason: string;
  sharedSummary: string;
  urgency: Referral['urgency'];
  firstContactDue: string;
  legalBasis: LegalBasisInput;
}

/**
 * Checks that the basis holds for this share: the consent is the person's,
 * active, and names the receiver; a 支援会議 share points to a session held on
 * that basis with the case on its agenda and the receiver taking part (the
 * series and date are then taken from it); a 重層的支援会議 names its series and
 * date; a reason is written where the law asks for one. A share without a
 * basis never reaches the database.
 */
export async function checkLegalBasis(db: Db, mid: string, caseRow: { id: string; person_id: string }, to: string | null, b: LegalBasisInput): Promise<{ field: string; message: string }[]> {
  const personId = caseRow.person_id;
  const spec = SHARE_BASES.find((x) => x.code === b.basis);
  if (!spec) return [{ field: 'legalBasis.basis', message: 'Give the legal basis of this share.' }];
  const fields: { field: string; message: string }[] = [];
  if (spec.consent) {
    const { rows } = b.consentId && to
      ? await db.query(
        `SELECT 1 FROM consent k JOIN consent_organization ko ON ko.municipality_id = k.municipality_id AND ko.consent_id = k.id
         WHERE k.municipality_id = $1 AND k.id = $2 AND k.person_id = $3 AND k.withdrawn_at IS NULL AND ko.organization_id = $4`, [mid, b.consentId, personId, to])
      : { rows: [] };
    if (rows.length === 0)
      fields.push({ field: 'legalBasis.consentId', message: b.basis === 'multilayered_support_meeting'
        ? 'A share in a multi-layered support meeting needs the person\'s consent naming the receiving organisation. Record the consent first.'
        : 'No active consent of this person names the receiving organisation. Record the consent first, or choose another basis.' });
  }
  if (spec.meeting && !spec.consent) {
    const found = b.meetingSessionId ? await sessionForShare(db, mid, { sessionId: b.meetingSessionId, caseId: caseRow.id, basis: b.basis, receiverId: to }) : { problem: 'Name the 支援会議 session whose agenda held the case.' };
    if ('problem' in found) fields.push({ field: 'legalBasis.meetingSessionId', message: found.problem });
    else Object.assign(b, { meetingSeriesId: found.seriesId, meetingDate: found.date });
  } else if (spec.meeting) {
    const { rows } = b.meetingSeriesId
      ? await db.query('SELECT 1 FROM meeting_series WHERE municipality_id = $1 AND id = $2 AND legal_basis = $3', [mid, b.meetingSeriesId, b.basis])
      : { rows: [] };
    if (rows.length === 0) fields.push({ field: 'legalBasis.meetingSeriesId', message: 'Name a meeting of this municipality held on this legal basis.' });
    if (!b.meetingDate) fields.push({ field: 'legalBasis.meetingDate', message: 'Give the date of the meeting.' });
  }
  if (spec.reason) {
    if (!b.paragraph) fields.push({ field: 'legalBasis.paragraph', message: 'Give the item of art. 69(2) (2, 3 or 4).' });
    if (!b.reason?.trim()) fields.push({ field: 'legalBasis.reason', message: 'Write the reason this share is allowed.' });
  }
  return fields;
}

/**
 * Sends a referral from the acting organisation. It needs full access to the
 * case (lead, hub, or consented participant). The receiver can then see the
 * referral, and takes part once it accepts.
 */
export async function sendReferral({ db, clock }: Deps, actor: Actor, caseId: string, input: SendReferralInput): Promise<Referral> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const access = await caseAccess({ db, clock }, actor, caseId);
  if (access === 'none') throw notFound('case');
  if (access !== 'full') throw forbidden('Only organisations that see the whole case can refer it on.');
  await assertCaseUsable(db, mid, caseId); // 利用停止: the record is not shared on
  const fields = [];
  if (!input.toOrganizationId === !input.toProgramId) fields.push({ field: 'toOrganizationId', message: 'Refer to one organisation or one program.' });
  let to = input.toOrganizationId ?? null;
  if (input.toProgramId) {
    const { rows } = await db.query<{ contractor: string | null; owner: string | null }>(
      `SELECT (SELECT contractor_id FROM program_commission pc WHERE pc.municipality_id = p.municipality_id AND pc.program_id = p.id AND pc.active LIMIT 1) AS contractor,
              (SELECT organization_id FROM program_owner po WHERE po.municipality_id = p.municipality_id AND po.program_id = p.id AND po.active LIMIT 1) AS owner
       FROM program p WHERE p.municipality_id = $1 AND p.id = $2 AND p.active`, [mid, input.toProgramId]);
    if (!rows[0]) fields.push({ field: 'toProgramId', message: 'No active program with that id.' });
    else to = rows[0].contractor ?? rows[0].owner;
  } else if (input.toOrganizationId) {
    const { rows } = await db.query('SELECT 1 FROM organization WHERE municipality_id = $1 AND id = $2 AND active', [mid, input.toOrganizationId]);
    if (!rows[0]) fields.push({ field: 'toOrganizationId', message: 'No active organisation with that id.' });
  }
  if (to === actor.organizationId) fields.push({ field: 'toOrganizationId', message: 'This is your own organisation.' });
  if (input.firstContactDue < japanDate(clock.now())) fields.push({ field: 'firstContactDue', message: 'The due date for first contact cannot be in the past.' });
  const { rows: [caseRow] } = await db.query<{ id: string; person_id: string }>('SELECT id, person_id FROM support_case WHERE municipality_id = $1 AND id = $2', [mid, caseId]);
  fields.push(...(await checkLegalBasis(db, mid, caseRow, to, input.legalBasis)));
  if (fields.length) throw badRequest('The referral could not be sent.', fields);
  const b = input.legalBasis;
  const spec = SHARE_BASES.find((x) => x.code === b.basis)!;
  const id = randomUUID();
  const now = clock.now();
  const n = await names(db, mid);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO referral (municipality_id, id, case_id, from_organization_id, to_organization_id, to_program_id, reason, shared_summary, urgency,
         first_contact_due, status, sent_at, sent_by, legal_basis, consent_id, meeting_series_id, meeting_date, basis_paragraph, basis_reason, meeting_session_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'sent',$11,$12,$13,$14,$15,$16,$17,$18,$19)`,
      [mid, id, caseId, actor.organizationId, to, input.toProgramId ?? null, input.reason.trim(), input.sharedSummary.trim(), input.urgency, input.firstContactDue, now, actor.userId,
        b.basis, spec.consent ? b.consentId : null, spec.meeting ? b.meetingSeriesId : null, spec.meeting ? b.meetingDate : null,
        spec.reason ? b.paragraph : null, spec.reason ? b.reason!.trim() : null, spec.meeting && !spec.consent ? b.meetingSessionId : null],
    );
    await addEvent(tx, mid, id, 'sent', input.reason.trim(), now, actor);
    await addParticipant(tx, mid, caseId, to!, 'referral_receiver', `referral ${id}`, now);
    const what = `${n.get(actor.organizationId!)} → ${n.get(to!)}${input.toProgramId ? `（${n.get(input.toProgramId)}）` : ''}`;
    await appendCaseEvent(tx, mid, caseId, { at: now, kind: 'referral_sent', organizationId: to, scope: 'org', summary: `つなぎ: ${what}。理由: ${input.reason.trim()}`, entityType: 'referral', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'referral.send', entityType: 'referral', entityId: id, reason: input.reason, details: { caseId, to, programId: input.toProgramId ?? null, shared: input.sharedSummary, legalBasis: b.basis, consentId: b.consentId ?? null, meetingSeriesId: b.meetingSeriesId ?? null, meetingSessionId: b.meetingSessionId ?? null } });
  });
  return getReferral({ db, clock }, actor, id, { audit: false });
}

async function addEvent(tx: Db, mid: string, referralId: string, status: string, note: string | null, at: Date, actor: Actor) {
  await tx.query(
    `INSERT INTO referral_event (municipality_id, referral_id, seq, status, note, at, by_user, organization_id)
     SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7 FROM referral_event WHERE municipality_id = $1 AND referral_id = $2`,
    [mid, referralId, status, note, at, actor.userId, actor.organizationId],
  );
}

/** A referral is visible to its sender, its receiver and the hub. */
async function loadReferral(db: Db, actor: Actor, id: string, lock = false): Promise<Row> {
  requireStaff(actor);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE r.municipality_id = $1 AND r.id = $2 AND ${referralVisibleSql('$3', '$4')}${lock ? ' FOR UPDATE OF r' : ''}`,
    [actor.municipalityId, id, actor.role, actor.organizationId],
  );
  if (!rows[0]) throw notFound('referral');
  return rows[0];
}

export async function getReferral({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<Referral> {
  const row = await loadReferral(db, actor, id);
  if (opts.audit !== false) await recordAudit(db, clock, actor, { action: 'referral.read', entityType: 'referral', entityId: id, reason: 'referral work' });
  return (await present(db, actor.municipalityId!, [row], clock.now()))[0];
}

export interface ReferralQuery {
  /**
   * incoming: sent to my organisation; outgoing: sent by it; overdue: every
   * overdue one I may see (the hub: all). Without a box, a case's referrals
   * that I may see (caseId is then required).
   */
  box?: 'incoming' | 'outgoing' | 'overdue';
  open?: boolean;
  caseId?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Each box's referrals among those the actor may see (referralVisibleSql), written so that the planner
 * can tell how many there are: "visible and sent to me" as one OR of the two made it expect a handful
 * of an organisation's 1,800 incoming referrals (tokyo size), and sort them all for a page.
 * Parameters after listReferrals' eight: the role ($9) where the box needs it, and today ($10).
 */
const BOXES: Record<NonNullable<ReferralQuery['box']> | 'case', { where: string; more: (role: string | null, today: string) => unknown[] }> = {
  incoming: { where: `r.to_organization_id = $2 AND ${receivedVisibleSql('$9', '$2')}`, more: (role) => [role] },
  // its sender always sees a referral
  outgoing: { where: 'r.from_organization_id = $2', more: () => [] },
  overdue: { where: `${referralVisibleSql('$9', '$2')} AND r.status IN ('sent', 'accepted') AND r.first_contact_due < $10::date`, more: (role, today) => [role, today] },
  case: { where: referralVisibleSql('$9', '$2'), more: (role) => [role] },
};

/** A page of referrals, newest first (keyset pages). */
export async function listReferrals({ db, clock }: Deps, actor: Actor, q: ReferralQuery): Promise<{ items: Referral[]; nextCursor: string | null }> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  if (!q.box && !q.caseId) throw badRequest('Give a box, or the case whose referrals you want.', [{ field: 'box', message: 'Use incoming, outgoing or overdue, or give caseId.' }]);
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor);
  const today = japanDate(clock.now());
  // the page is found among the referrals alone, and only its rows look up their cases
  const box = BOXES[q.box ?? 'case'];
  const { rows } = await db.query<Row>(
    `SELECT r.*, (SELECT c.reference FROM support_case c WHERE c.municipality_id = r.municipality_id AND c.id = r.case_id) AS reference
     FROM (SELECT r.* FROM referral r WHERE r.municipality_id = $1
       AND ${box.where}
       AND (NOT $3 OR r.status = ANY($4::text[]))
       AND ($5::uuid IS NULL OR r.case_id = $5)
       AND ($6::timestamptz IS NULL OR (r.sent_at, r.id) < ($6, $7::uuid))
       ORDER BY r.sent_at DESC, r.id DESC LIMIT $8) r
     ORDER BY r.sent_at DESC, r.id DESC`,
    [mid, actor.organizationId, q.open ?? false, OPEN, q.caseId ?? null, cursor?.at ?? null, cursor?.id ?? null, limit + 1, ...box.more(actor.role, today)],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  await recordAudit(db, clock, actor, { action: 'referral.list', entityType: 'referral', reason: `referrals ${q.box ?? 'of a case'}`, details: { count: page.length, caseId: q.caseId ?? null } });
  return {
    items: await present(db, mid, page, clock.now()),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.sent_at.toISOString(), id: last.id }) : null,
  };
}

/**
 * Moves a referral along the loop. The receiver accepts or declines (with a
 * reason), records the first contact, and completes or returns it; each step
 * is timestamped, attributed, and lands on the case timeline.
 */
export async function advanceReferral({ db, clock }: Deps, actor: Actor, id: string, input: { version: number; status: ReferralStatus; note?: string }): Promise<Referral> {
  const mid = actor.municipalityId!;
  const now = clock.now();
  const n = await names(db, mid);
  await db.transaction(async (tx) => {
    const r = await loadReferral(tx, actor, id, true);
    // a partner group has no accounts: its sender (or the hub) records its answer on its behalf
    const onBehalf = r.to_organization_id !== actor.organizationId
      && (await partnerReceivers(tx, mid, [r.to_organization_id])).has(r.to_organization_id)
      && (r.from_organization_id === actor.organizationId || actor.role === 'hub_coordinator');
    if (r.to_organization_id !== actor.organizationId && !onBehalf)
      throw forbidden('Only the receiving organisation moves a referral along (for a partner group, its sender or the hub records its answer).');
    if (r.version !== input.version) throw conflict(`This referral changed since you opened it (now version ${r.version}). Reload it and try again.`);
    if (!NEXT[r.status].some((next) => next === input.status))
      throw badRequest(`A referral that is ${r.status} cannot become ${input.status}.`, [{ field: 'status', message: NEXT[r.status].length ? `Allowed next: ${NEXT[r.status].join(', ')}.` : 'This referral is closed.' }]);
    if ((input.status === 'declined' || input.status === 'returned') && !input.note?.trim())
      throw badRequest('Say why.', [{ field: 'note', message: input.status === 'declined' ? 'A decline needs its reason.' : 'Say why the referral is returned.' }]);
    const column = { accepted: 'accepted_at', declined: 'declined_at', first_contact: 'first_contact_at', completed: 'completed_at', returned: 'returned_at', ongoing: null, sent: null }[input.status];
    await tx.query(
      `UPDATE referral SET status = $3, status_note = $4, ${column ? `${column} = $5,` : ''} version = version + 1 WHERE municipality_id = $1 AND id = $2`,
      column ? [mid, id, input.status, input.note?.trim() || null, now] : [mid, id, input.status, input.note?.trim() || null],
    );
    const note = onBehalf ? `${PARTNER_ANSWER}${input.note?.trim() ? `: ${input.note.trim()}` : ''}` : input.note?.trim() || null;
    await addEvent(tx, mid, id, input.status, note, now, actor);
    if (input.status === 'accepted') await addParticipant(tx, mid, r.case_id, r.to_organization_id, 'participant', `accepted referral ${id}`, now);
    if (input.status === 'declined' || input.status === 'returned') await endParticipant(tx, mid, r.case_id, r.to_organization_id, now);
    await appendCaseEvent(tx, mid, r.case_id, {
      at: now, kind: `referral_${input.status}`, organizationId: r.to_organization_id, scope: 'org',
      summary: `つなぎ（${n.get(r.from_organization_id)} → ${n.get(r.to_organization_id)}）: ${LABEL[input.status]}${note ? `。${note}` : ''}`,
      entityType: 'referral', entityId: id, byUser: actor.userId,
    });
    await recordAudit(tx, clock, actor, { action: `referral.${input.status}`, entityType: 'referral', entityId: id, reason: input.note ?? input.status, details: { caseId: r.case_id, from: r.status, onBehalfOfPartner: onBehalf } });
  });
  return getReferral({ db, clock }, actor, id, { audit: false });
}

/**
 * How many referrals each organisation sent to each other one: the network
 * map's edge weights. Counts only, never which case or person, so they are
 * read without an audit entry, like the statistics.
 */
export async function referralVolumes(db: Db, municipalityId: string): Promise<{ fromOrganizationId: string; toOrganizationId: string; count: number }[]> {
  const { rows } = await db.query<{ fromOrganizationId: string; toOrganizationId: string; count: number }>(
    `SELECT from_organization_id AS "fromOrganizationId", to_organization_id AS "toOrganizationId", count(*)::int AS count
     FROM referral WHERE municipality_id = $1 GROUP BY from_organization_id, to_organization_id ORDER BY 1, 2`,
    [municipalityId],
  );
  return rows;
}

/** Retention: deletes the referrals of cases being disposed of, with their history. */
export async function deleteReferralsOfCases(tx: Db, municipalityId: string, caseIds: string[]): Promise<number> {
  await tx.query(
    `DELETE FROM referral_event e USING referral r WHERE e.municipality_id = r.municipality_id AND e.referral_id = r.id
       AND r.municipality_id = $1 AND r.case_id = ANY($2::uuid[])`, [municipalityId, caseIds]);
  const { rowCount } = await tx.query('DELETE FROM referral WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [municipalityId, caseIds]);
  return rowCount;
}

/**
 * When a consent is withdrawn, the open referrals that rested on it end as
 * returned, and their receivers stop taking part unless something else still
 * lets them (another active consent naming them, another open referral).
 * What they read before stays in the audit.
 */
onConsentWithdrawn(async (tx, mid, consent, at, actor) => {
  const note = '本人の同意撤回により共有を終了';
  await tx.query('UPDATE referral SET share_ended_at = $3 WHERE municipality_id = $1 AND consent_id = $2 AND share_ended_at IS NULL', [mid, consent.id, at]);
  const { rows } = await tx.query<{ id: string; case_id: string; to_organization_id: string }>(
    `UPDATE referral SET status = 'returned', returned_at = $3, status_note = $4, version = version + 1
     WHERE municipality_id = $1 AND consent_id = $2 AND status = ANY($5::text[]) RETURNING id, case_id, to_organization_id`,
    [mid, consent.id, at, note, OPEN],
  );
  for (const r of rows) {
    await addEvent(tx, mid, r.id, 'returned', note, at, actor);
    const { rows: still } = await tx.query(
      `SELECT 1 FROM consent k JOIN consent_organization ko ON ko.municipality_id = k.municipality_id AND ko.consent_id = k.id
       WHERE k.municipality_id = $1 AND k.person_id = $2 AND k.withdrawn_at IS NULL AND ko.organization_id = $3
       UNION ALL
       SELECT 1 FROM referral WHERE municipality_id = $1 AND case_id = $4 AND to_organization_id = $3 AND status = ANY($5::text[])`,
      [mid, consent.personId, r.to_organization_id, r.case_id, OPEN],
    );
    if (still.length === 0) await endParticipant(tx, mid, r.case_id, r.to_organization_id, at);
    await appendCaseEvent(tx, mid, r.case_id, { at, kind: 'referral_returned', organizationId: r.to_organization_id, scope: 'org', summary: `つなぎの終了: ${note}`, entityType: 'referral', entityId: r.id, byUser: actor.userId });
    await recordAudit(tx, { now: () => at }, actor, { action: 'referral.share_ended', entityType: 'referral', entityId: r.id, reason: note, details: { consentId: consent.id } });
  }
});

/**
 * 委託 ended (profile `commissionEnds`): from the day after its last day, open
 * referrals to the program — or to the contractor, once it holds no other
 * commission — are returned; a contractor with no commission left stops
 * taking part in every case, and the cases it led go back to the program's
 * owner. Runs from the scheduler; each ended commission is handled once.
 */
export async function handBackEndedCommissions({ db, clock }: Deps): Promise<{ commissions: number; cases: number; referrals: number }> {
  const now = clock.now();
  const today = japanDate(now);
  const { rows: ended } = await db.query<{ municipality_id: string; program_id: string; contractor_id: string; owner: string | null }>(
    `SELECT pc.municipality_id, pc.program_id, pc.contractor_id,
            (SELECT po.organization_id FROM program_owner po WHERE po.municipality_id = pc.municipality_id AND po.program_id = pc.program_id AND po.active
             ORDER BY po.organization_id LIMIT 1) AS owner
     FROM program_commission pc WHERE pc.ended_on IS NOT NULL AND pc.ended_on < $1::date AND pc.handed_back_at IS NULL`,
    [today],
  );
  const total = { commissions: 0, cases: 0, referrals: 0 };
  for (const c of ended) {
    const mid = c.municipality_id;
    const actor: Actor = { userId: null, login: 'system:commission-end', municipalityId: mid, organizationId: null, role: null };
    await db.transaction(async (tx) => {
      const { rows: other } = await tx.query(
        `SELECT 1 FROM program_commission WHERE municipality_id = $1 AND contractor_id = $2 AND program_id <> $3 AND active AND (ended_on IS NULL OR ended_on >= $4::date)`,
        [mid, c.contractor_id, c.program_id, today],
      );
      const whole = other.length === 0;
      const note = '委託の終了により返却';
      const { rows: returned } = await tx.query<{ id: string; case_id: string }>(
        `UPDATE referral SET status = 'returned', returned_at = $4, status_note = $5, version = version + 1
         WHERE municipality_id = $1 AND to_organization_id = $2 AND status = ANY($6::text[]) AND ($7 OR to_program_id = $3) RETURNING id, case_id`,
        [mid, c.contractor_id, c.program_id, now, note, OPEN, whole],
      );
      for (const r of returned) {
        await addEvent(tx, mid, r.id, 'returned', note, now, actor);
        if (!whole) await endParticipant(tx, mid, r.case_id, c.contractor_id, now);
      }
      let handed: string[] = [];
      if (whole && c.owner) {
        handed = (await tx.query<{ id: string }>(
          'UPDATE support_case SET lead_organization_id = $3, version = version + 1, updated_at = $4 WHERE municipality_id = $1 AND lead_organization_id = $2 RETURNING id',
          [mid, c.contractor_id, c.owner, now],
        )).rows.map((r) => r.id);
        for (const caseId of handed) {
          await tx.query(
            `INSERT INTO case_participant (municipality_id, case_id, organization_id, role, since, reason) VALUES ($1, $2, $3, 'lead', $4, $5)
             ON CONFLICT (municipality_id, case_id, organization_id) DO UPDATE SET role = 'lead', until = NULL, since = EXCLUDED.since, reason = EXCLUDED.reason`,
            [mid, caseId, c.owner, now, note],
          );
          await appendCaseEvent(tx, mid, caseId, { at: now, kind: 'lead_changed', organizationId: c.owner, scope: 'case', summary: '委託の終了により、主担当を委託元に引き継ぎ', byUser: null });
        }
        await tx.query('UPDATE case_participant SET until = $3 WHERE municipality_id = $1 AND organization_id = $2 AND until IS NULL', [mid, c.contractor_id, now]);
      }
      await tx.query('UPDATE program_commission SET handed_back_at = $4 WHERE municipality_id = $1 AND program_id = $2 AND contractor_id = $3', [mid, c.program_id, c.contractor_id, now]);
      await recordAudit(tx, clock, actor, {
        action: 'commission.ended', entityType: 'organization', entityId: c.contractor_id, reason: note,
        details: { programId: c.program_id, handedBackTo: c.owner, cases: handed, referralsReturned: returned.map((r) => r.id), accessEnded: whole },
      });
      total.commissions++;
      total.cases += handed.length;
      total.referrals += returned.length;
    });
  }
  return total;
}

/** Open cases with a referral past its first-contact date, for the meetings' agenda proposal. */
export async function casesWithOverdueReferrals(db: Db, municipalityId: string, today: string): Promise<{ caseId: string; count: number; oldestDue: string }[]> {
  const { rows } = await db.query<{ case_id: string; n: number; oldest: string }>(
    `SELECT r.case_id, count(*)::int AS n, min(r.first_contact_due)::text AS oldest FROM referral r
     WHERE r.municipality_id = $1 AND r.status IN ('sent', 'accepted') AND r.first_contact_due < $2::date GROUP BY r.case_id`,
    [municipalityId, today],
  );
  return rows.map((r) => ({ caseId: r.case_id, count: r.n, oldestDue: r.oldest }));
}
