import type { Db } from '../../db/index.ts';
import { STATUTORY_BASES } from '../meetings/sharing.ts';
import type { Correction, DisclosurePackage, RedactionDecision, Suspension } from './schemas.ts';
import { outreachContactRecords } from '../programs/outreach.ts';
import { expertContactRecords } from '../prefecture/experts.ts';
import { homeVisitApplicationsByIdentity, homeVisitContactRecords } from '../prefecture/homeVisits.ts';

/**
 * The disclosure package (開示): everything the city holds about one person,
 * gathered for the privacy officer. It reads the other modules' tables
 * directly, on purpose: their services answer staff under need-to-know and
 * audit each read as case work, while a disclosure must see all of it, and is
 * audited once as an export. `PACKAGE_SOURCES` names every table read here, and
 * a test derived from the schema fails when a table that refers to a person or
 * a case is neither read here nor excluded with its reason (privacy.test.ts).
 */
export const PACKAGE_SOURCES: Record<string, keyof DisclosurePackage | 'retention'> = {
  person: 'persons',
  household: 'households',
  household_member: 'households',
  support_case: 'cases',
  case_participant: 'cases',
  case_consultation: 'consultations',
  consultation: 'consultations',
  consultation_step: 'consultations',
  concern_report: 'concernReports',
  contact_record: 'contactRecords',
  // outreach (programs/outreach.ts): enrolments and visits are contact records of the case
  outreach_enrolment: 'contactRecords',
  outreach_visit: 'contactRecords',
  // 多職種専門チーム (prefecture/experts.ts): a submission with its questions and advice is a contact record of the case
  expert_submission: 'contactRecords',
  expert_question: 'contactRecords',
  expert_advice: 'contactRecords',
  // 訪問相談 (prefecture/homeVisits.ts): applications from the person's cases and the centre's visits under them, and
  // applications recorded without a case, matched by the person's name and contact
  home_visit_application: 'contactRecords',
  home_visit: 'contactRecords',
  assessment: 'assessments',
  support_plan: 'plans',
  plan_action: 'plans',
  consent: 'consents',
  consent_organization: 'consents',
  referral: 'referrals',
  referral_event: 'referrals',
  case_event: 'timeline',
  legal_hold: 'retention',
  retention_policy: 'retention',
  privacy_request: 'privacyRequests',
  person_correction: 'corrections',
  use_suspension: 'suspensions',
  disclosure_release: 'releases',
  meeting_agenda_item: 'meetings',
  meeting_decision: 'meetings',
  meeting_action_item: 'meetings',
  work_preference: 'workSupport',
  placement_record: 'workSupport',
  retention_check_in: 'workSupport',
  privacy_incident_person: 'incidents',
  privacy_incident: 'incidents',
  audit_event: 'accessLog',
};

/**
 * Grounds for withholding (不開示情報, 個人情報保護法第78条第1項). Items 1 and 2
 * are checked against the statute's text as published by 三重県; items 3 and 7
 * are from the structure of the article (要確認 against e-Gov before a city
 * relies on them). A city's ordinance may add grounds (同条第2項).
 */
export const GROUNDS = {
  'art78-1-1': '個人情報保護法第78条第1項第1号（開示請求者の生命、健康、生活又は財産を害するおそれがある情報）',
  'art78-1-2': '個人情報保護法第78条第1項第2号（開示請求者以外の個人に関する情報）',
  'art78-1-3': '個人情報保護法第78条第1項第3号（法人その他の団体に関する情報）',
  'art78-1-7': '個人情報保護法第78条第1項第7号（事務又は事業に関する情報）',
} as const;
export type GroundCode = keyof typeof GROUNDS;
export const GROUND_CODES = Object.keys(GROUNDS) as GroundCode[];

interface Target {
  obj: Record<string, unknown>;
  field: string;
  /** The record whose `redacted` map notes the withheld field, and under which name. */
  mark: { redacted: Record<string, string> };
  as: string;
}

interface Unit {
  key: string;
  label: string;
  defaultRedacted: boolean;
  groundCode: GroundCode | null;
  targets: Target[];
}

/** A redaction decision departing from the default, as stored (disclosure_redaction). */
export interface RedactionOverride {
  key: string;
  redacted: boolean;
  groundCode: GroundCode | null;
  reason: string;
  decidedAt: Date;
}

/** The units of a package that can be withheld, each with its default. Built while gathering. */
class Redactions {
  readonly units = new Map<string, Unit>();

  add(key: string, label: string, defaultRedacted: boolean, groundCode: GroundCode | null) {
    if (!this.units.has(key)) this.units.set(key, { key, label, defaultRedacted, groundCode, targets: [] });
    return this.units.get(key)!;
  }

  /** Adds fields of a record to a unit; only fields that hold something are worth withholding. */
  cover(unit: Unit, obj: Record<string, unknown>, fields: string[], mark: { redacted: Record<string, string> } = obj as { redacted: Record<string, string> }, prefix = '') {
    for (const field of fields) {
      const v = obj[field];
      if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      unit.targets.push({ obj, field, mark, as: prefix + field });
    }
  }

  /** Withholds what is redacted (default, or the officer's decision) and lists every unit with its ground. */
  apply(overrides: Map<string, RedactionOverride>): RedactionDecision[] {
    const out: RedactionDecision[] = [];
    for (const u of this.units.values()) {
      if (u.targets.length === 0) continue;
      const o = overrides.get(u.key);
      const redacted = o ? o.redacted : u.defaultRedacted;
      const groundCode = redacted ? (o?.groundCode ?? u.groundCode) : null;
      if (redacted)
        for (const t of u.targets) {
          t.obj[t.field] = null;
          t.mark.redacted[t.as] = u.key;
        }
      out.push({
        key: u.key, label: u.label, defaultRedacted: u.defaultRedacted, defaultGroundCode: u.groundCode, redacted, groundCode, ground: groundCode ? GROUNDS[groundCode] : null,
        reason: o?.reason ?? null, decidedAt: o ? o.decidedAt.toISOString() : null,
      });
    }
    // what is withheld by default first, so the officer reviews those before the optional ones
    return out.sort((a, b) => Number(b.defaultRedacted) - Number(a.defaultRedacted));
  }
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const isoReq = (d: Date) => new Date(d).toISOString();
const band = (min: number | null, max: number | null) => (min !== null && max !== null ? { min, max } : null);

/** The person kept and every duplicate merged into it (at any depth), the one kept first. */
export async function samePerson(db: Db, mid: string, personId: string): Promise<{ rootId: string; ids: string[] } | null> {
  const { rows } = await db.query<{ id: string; root: boolean }>(
    `WITH RECURSIVE up AS (
       SELECT id, merged_into_id FROM person WHERE municipality_id = $1 AND id = $2
       UNION ALL SELECT p.id, p.merged_into_id FROM person p JOIN up ON p.municipality_id = $1 AND p.id = up.merged_into_id
     ), root AS (SELECT id FROM up WHERE merged_into_id IS NULL),
     down AS (
       SELECT id, true AS root FROM root
       UNION ALL SELECT p.id, false FROM person p JOIN down ON p.municipality_id = $1 AND p.merged_into_id = down.id
     ) SELECT id, root FROM down`,
    [mid, personId],
  );
  const root = rows.find((r) => r.root);
  if (!root) return null;
  return { rootId: root.id, ids: [root.id, ...rows.filter((r) => !r.root).map((r) => r.id)] };
}

export interface PackageRequestInfo {
  id: string;
  reference: string;
  kind: string;
  receivedOn: string;
  decision: string | null;
  decidedOn: string | null;
}

/**
 * Gathers the package for a person (and their merged duplicates) and applies
 * the redactions: by default the identity of whoever reported a concern or
 * consulted on the person's behalf, and third parties' details (other
 * household members), each on the ground of 第78条第1項第2号; free text can be
 * withheld by the officer's decision. Returns the package as given out.
 */
export async function buildPackage(
  db: Db, mid: string, personId: string, request: PackageRequestInfo, overrides: Map<string, RedactionOverride>, now: Date,
): Promise<DisclosurePackage> {
  const same = await samePerson(db, mid, personId);
  if (!same) throw new Error(`person ${personId} not found`);
  const ids = same.ids;
  const self = new Set(ids);
  const r = new Redactions();

  const { rows: nameRows } = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM organization WHERE municipality_id = $1 UNION ALL SELECT id, name FROM program WHERE municipality_id = $1
     UNION ALL SELECT id, name FROM area WHERE municipality_id = $1`, [mid]);
  const names = new Map(nameRows.map((n) => [n.id, n.name]));
  const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  const refReq = (id: string) => ({ id, name: names.get(id) ?? '' });
  const { rows: muni } = await db.query<{ name: string }>('SELECT name FROM municipality WHERE id = $1', [mid]);

  // ------------------------------------------------------------ the person
  type PersonRow = {
    id: string; name: string | null; name_kana: string | null; birth_date: string | null; age_band_min: number | null; age_band_max: number | null;
    gender: string | null; phone: string | null; email: string | null; address: string | null; area_id: string | null; merged_into_id: string | null;
    created_at: Date; updated_at: Date;
  };
  const { rows: personRows } = await db.query<PersonRow>('SELECT * FROM person WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [mid, ids]);
  const persons = ids.map((id) => personRows.find((p) => p.id === id)!).filter(Boolean).map((p) => ({
    id: p.id, name: p.name, nameKana: p.name_kana, birthDate: p.birth_date, ageBand: band(p.age_band_min, p.age_band_max), gender: p.gender,
    phone: p.phone, email: p.email, address: p.address, area: ref(p.area_id)?.name ?? null, mergedIntoId: p.merged_into_id,
    createdAt: isoReq(p.created_at), updatedAt: isoReq(p.updated_at),
  }));

  // ------------------------------------------------------------ cases
  const { rows: caseRows } = await db.query<{
    id: string; reference: string; status: string; complex: boolean; lead_organization_id: string; household_id: string | null; opened_at: Date;
    closed_at: Date | null; closure_reason: string | null; last_contact_at: Date | null; created_at: Date; updated_at: Date;
  }>('SELECT * FROM support_case WHERE municipality_id = $1 AND person_id = ANY($2::uuid[]) ORDER BY opened_at, id', [mid, ids]);
  const caseIds = caseRows.map((c) => c.id);
  const caseRef = new Map(caseRows.map((c) => [c.id, c.reference]));
  const { rows: partRows } = await db.query<{ case_id: string; organization_id: string; role: string; since: Date; until: Date | null; reason: string | null }>(
    'SELECT * FROM case_participant WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY since', [mid, caseIds]);
  const cases = caseRows.map((c) => ({
    id: c.id, reference: c.reference, status: c.status, complex: c.complex, lead: refReq(c.lead_organization_id), householdId: c.household_id,
    openedAt: isoReq(c.opened_at), closedAt: iso(c.closed_at), closureReason: c.closure_reason, lastContactAt: iso(c.last_contact_at),
    createdAt: isoReq(c.created_at), updatedAt: isoReq(c.updated_at),
    participants: partRows.filter((p) => p.case_id === c.id).map((p) => ({
      organization: refReq(p.organization_id), role: p.role, since: isoReq(p.since), until: iso(p.until), reason: p.reason,
    })),
  }));

  // ------------------------------------------------------------ households
  const { rows: hhRows } = await db.query<{ id: string; label: string | null; created_at: Date }>(
    `SELECT h.* FROM household h WHERE h.municipality_id = $1 AND (
       EXISTS (SELECT 1 FROM household_member m WHERE m.municipality_id = h.municipality_id AND m.household_id = h.id AND m.person_id = ANY($2::uuid[]))
       OR h.id = ANY($3::uuid[])) ORDER BY h.created_at, h.id`,
    [mid, ids, caseRows.map((c) => c.household_id).filter(Boolean)]);
  const { rows: memberRows } = await db.query<PersonRow & { household_id: string; relation: string }>(
    `SELECT m.household_id, m.relation, p.* FROM household_member m JOIN person p ON p.municipality_id = m.municipality_id AND p.id = m.person_id
     WHERE m.municipality_id = $1 AND m.household_id = ANY($2::uuid[]) ORDER BY m.relation = '本人' DESC, p.created_at, p.id`,
    [mid, hhRows.map((h) => h.id)]);
  const households = hhRows.map((h) => ({
    id: h.id, label: h.label, createdAt: isoReq(h.created_at),
    members: memberRows.filter((m) => m.household_id === h.id).map((m) => {
      const member = {
        personId: m.id, relation: m.relation, self: self.has(m.id), name: m.name, nameKana: m.name_kana, birthDate: m.birth_date,
        ageBand: band(m.age_band_min, m.age_band_max), gender: m.gender, phone: m.phone, email: m.email, address: m.address, redacted: {} as Record<string, string>,
      };
      if (!member.self) {
        const u = r.add(`person:${m.id}`, `世帯員（${m.relation}）の氏名・生年月日・連絡先`, true, 'art78-1-2');
        r.cover(u, member, ['name', 'nameKana', 'birthDate', 'ageBand', 'gender', 'phone', 'email', 'address']);
      }
      return member;
    }),
  }));

  // ------------------------------------------------------------ consultations and concern reports
  const { rows: consRows } = await db.query<{
    id: string; reference: string; case_id: string | null; received_at: Date; door_organization_id: string; channel: string; consulter_relation: string;
    consulter_detail: string | null; age: number | null; age_band_min: number | null; age_band_max: number | null; school_stage: string | null;
    area_id: string | null; issue_tags: string[]; main_issue: string | null; organizations_involved: number | null; cannot_visit: boolean | null;
    family_only: boolean; summary: string; urgency: string; source: string; status: string; holder_organization_id: string;
    destination_organization_id: string | null; destination_program_id: string | null; created_at: Date; linked: string[];
  }>(
    `SELECT c.*, COALESCE((SELECT array_agg(cc.case_id) FROM case_consultation cc WHERE cc.municipality_id = c.municipality_id AND cc.consultation_id = c.id), '{}') AS linked
     FROM consultation c WHERE c.municipality_id = $1 AND (c.case_id = ANY($2::uuid[])
       OR c.id IN (SELECT consultation_id FROM case_consultation WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])))
     ORDER BY c.received_at, c.id`, [mid, caseIds]);
  const consultationIds = consRows.map((c) => c.id);
  const { rows: stepRows } = await db.query<{ consultation_id: string; seq: number; kind: string; from_organization_id: string | null; to_organization_id: string; program_id: string | null; reason: string | null; at: Date }>(
    'SELECT * FROM consultation_step WHERE municipality_id = $1 AND consultation_id = ANY($2::uuid[]) ORDER BY consultation_id, seq', [mid, consultationIds]);
  const textUnits = new Map<string, ReturnType<Redactions['add']>>();
  const consultations = consRows.map((c) => {
    const rec = {
      id: c.id, reference: c.reference, caseIds: [...new Set([...(c.case_id ? [c.case_id] : []), ...c.linked])].filter((x) => caseIds.includes(x)),
      receivedAt: isoReq(c.received_at), door: refReq(c.door_organization_id), channel: c.channel, consulterRelation: c.consulter_relation,
      consulterDetail: c.consulter_detail, age: c.age, ageBand: band(c.age_band_min, c.age_band_max), schoolStage: c.school_stage, area: ref(c.area_id)?.name ?? null,
      issueTags: c.issue_tags, mainIssue: c.main_issue, organizationsInvolved: c.organizations_involved, cannotVisit: c.cannot_visit, familyOnly: c.family_only,
      summary: c.summary as string | null, urgency: c.urgency, source: c.source, status: c.status, holder: refReq(c.holder_organization_id),
      destination: ref(c.destination_organization_id), destinationProgram: ref(c.destination_program_id), createdAt: isoReq(c.created_at),
      steps: stepRows.filter((s) => s.consultation_id === c.id).map((s) => ({
        seq: s.seq, kind: s.kind, from: ref(s.from_organization_id), to: refReq(s.to_organization_id), program: ref(s.program_id), reason: s.reason, at: isoReq(s.at),
      })),
      redacted: {} as Record<string, string>,
    };
    if (c.consulter_relation !== 'self')
      r.cover(r.add(`consulter:${c.id}`, `相談者（本人以外）の氏名・連絡先（相談 ${c.reference}）`, true, 'art78-1-2'), rec, ['consulterDetail']);
    const text = r.add(`text:consultation:${c.id}`, `相談内容（相談 ${c.reference}）`, false, null);
    textUnits.set(`consultation:${c.id}`, text);
    r.cover(text, rec, ['summary']);
    return rec;
  });
  const { rows: concernRows } = await db.query<{
    id: string; receipt_code: string; consultation_id: string; submitted_at: Date; about_relation: string; about_age_band: string | null; area_id: string | null;
    concern: string; reporter_anonymous: boolean; reporter_name: string | null; reporter_phone: string | null; reporter_email: string | null; taken_in_at: Date;
  }>('SELECT * FROM concern_report WHERE municipality_id = $1 AND consultation_id = ANY($2::uuid[]) ORDER BY submitted_at, id', [mid, consultationIds]);
  const concernReports = concernRows.map((c) => {
    const rec = {
      id: c.id, receiptCode: c.receipt_code, consultationId: c.consultation_id, submittedAt: isoReq(c.submitted_at), aboutRelation: c.about_relation,
      aboutAgeBand: c.about_age_band, area: ref(c.area_id)?.name ?? null, concern: c.concern as string | null, reporterAnonymous: c.reporter_anonymous,
      reporterName: c.reporter_name, reporterPhone: c.reporter_phone, reporterEmail: c.reporter_email, takenInAt: isoReq(c.taken_in_at), redacted: {} as Record<string, string>,
    };
    // a report the person made about themselves names no one else
    if (c.about_relation !== 'self')
      r.cover(r.add(`reporter:${c.id}`, `気がかり相談の通報者の氏名・電話・メール（受付番号 ${c.receipt_code}）`, true, 'art78-1-2'), rec, ['reporterName', 'reporterPhone', 'reporterEmail']);
    // the report's text is the consultation's summary: withheld together or not at all
    const text = textUnits.get(`consultation:${c.consultation_id}`);
    if (text) r.cover(text, rec, ['concern']);
    return rec;
  });

  // ------------------------------------------------------------ case records
  const { rows: crRows } = await db.query<{ id: string; case_id: string; occurred_at: Date; kind: string; organization_id: string; staff_name: string; notes: string; next_step: string | null; created_at: Date }>(
    'SELECT * FROM contact_record WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY occurred_at, id', [mid, caseIds]);
  const contactRecords = crRows.map((c) => {
    const rec = {
      id: c.id, caseId: c.case_id as string | null, occurredAt: isoReq(c.occurred_at), kind: c.kind, organization: refReq(c.organization_id), staffName: c.staff_name,
      notes: c.notes as string | null, nextStep: c.next_step, createdAt: isoReq(c.created_at), redacted: {} as Record<string, string>,
    };
    const text = r.add(`text:contact_record:${c.id}`, `支援記録の内容（${caseRef.get(c.case_id)}、${isoReq(c.occurred_at).slice(0, 10)}）`, false, null);
    textUnits.set(`contact_record:${c.id}`, text);
    r.cover(text, rec, ['notes', 'nextStep']);
    return rec;
  });
  contactRecords.push(...(await outreachContactRecords(db, mid, caseIds)).map((o) => {
    const rec = {
      id: o.id, caseId: o.caseId, occurredAt: o.occurredAt, kind: o.kind as string, organization: refReq(o.organizationId), staffName: '',
      notes: o.notes as string | null, nextStep: o.nextStep, createdAt: isoReq(o.createdAt), redacted: {} as Record<string, string>,
    };
    const text = r.add(`text:${o.kind}:${o.id}`, `アウトリーチの記録（${caseRef.get(o.caseId)}、${o.occurredAt.slice(0, 10)}）`, false, null);
    textUnits.set(`${o.kind}:${o.id}`, text);
    r.cover(text, rec, ['notes', 'nextStep']);
    return rec;
  }));
  // the prefecture's records kept as contact records of the case: expert-team consultations and home visits
  const prefectureRecords = [[expertContactRecords, '多職種専門チームへの相談'], [homeVisitContactRecords, '訪問相談の記録']] as const;
  for (const [read, label] of prefectureRecords) {
    contactRecords.push(...(await read(db, mid, caseIds)).map((o) => {
      const rec = {
        id: o.id, caseId: o.caseId, occurredAt: o.occurredAt, kind: o.kind as string, organization: refReq(o.organizationId), staffName: '',
        notes: o.notes as string | null, nextStep: o.nextStep as string | null, createdAt: isoReq(o.createdAt), redacted: {} as Record<string, string>,
      };
      const text = r.add(`text:${o.kind}:${o.id}`, `${label}（${o.caseId ? caseRef.get(o.caseId) : ''}、${o.occurredAt.slice(0, 10)}）`, false, null);
      textUnits.set(`${o.kind}:${o.id}`, text);
      r.cover(text, rec, ['notes', 'nextStep']);
      return rec;
    }));
  }
  // 訪問相談 applications a window recorded without a case: the person's own data (保有個人情報) though linked to no
  // person record, so found by the name and contact of the person's records. What matched by both is given out;
  // what matched by the name alone or the contact alone may be a namesake's or a family member's, so it is withheld
  // until the officer has confirmed it is the requester's (then released), or kept back as another person's (第78条第1項第2号).
  const MATCH_JA = { name_and_contact: '氏名と連絡先が一致', name: '氏名のみ一致', contact: '連絡先のみ一致' } as const;
  for (const o of await homeVisitApplicationsByIdentity(db, mid, personRows.map((p) => ({ name: p.name, phone: p.phone, email: p.email })))) {
    const rec = {
      id: o.id, caseId: null, occurredAt: o.occurredAt, kind: o.kind as string, organization: refReq(o.organizationId), staffName: '',
      notes: o.notes as string | null, nextStep: o.nextStep, createdAt: isoReq(o.createdAt), redacted: {} as Record<string, string>,
    };
    const match = o.match ?? 'name';
    const unit = r.add(`unlinked:home_visit_application:${o.applicationId}`,
      `ケースに結びつかない訪問相談の申込み（${MATCH_JA[match]}、${o.occurredAt.slice(0, 10)}）${match === 'name_and_contact' ? '' : '：本人のものと確認してから開示'}`,
      match !== 'name_and_contact', match === 'name_and_contact' ? null : 'art78-1-2');
    r.cover(unit, rec, ['notes', 'nextStep']);
    contactRecords.push(rec);
  }
  const { rows: asRows } = await db.query<{ id: string; case_id: string; assessed_on: string; organization_id: string; areas: Record<string, { situation: string; needsSupport: boolean }>; summary: string | null; created_at: Date }>(
    'SELECT * FROM assessment WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY assessed_on, id', [mid, caseIds]);
  const assessments = asRows.map((a) => {
    const rec = {
      id: a.id, caseId: a.case_id, assessedOn: a.assessed_on, organization: ref(a.organization_id),
      areas: a.areas as Record<string, { situation: string; needsSupport: boolean }> | null, summary: a.summary, createdAt: isoReq(a.created_at), redacted: {} as Record<string, string>,
    };
    const text = r.add(`text:assessment:${a.id}`, `アセスメントの内容（${caseRef.get(a.case_id)}、${a.assessed_on}）`, false, null);
    textUnits.set(`assessment:${a.id}`, text);
    r.cover(text, rec, ['areas', 'summary']);
    return rec;
  });
  const { rows: planRows } = await db.query<{
    id: string; case_id: string; plan_no: number; goals: { kind: string; text: string }[]; review_date: string; person_agreed: boolean; agreed_on: string | null;
    organization_id: string; created_at: Date; confirmed_on: string | null; confirmed_in: string | null;
  }>('SELECT * FROM support_plan WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY case_id, plan_no', [mid, caseIds]);
  const { rows: actionRows } = await db.query<{ plan_id: string; seq: number; description: string; organization_id: string; program_id: string | null; due_date: string | null; status: string }>(
    'SELECT * FROM plan_action WHERE municipality_id = $1 AND plan_id = ANY($2::uuid[]) ORDER BY plan_id, seq', [mid, planRows.map((p) => p.id)]);
  const plans = planRows.map((p) => ({
    id: p.id, caseId: p.case_id, planNo: p.plan_no, goals: p.goals, reviewDate: p.review_date, personAgreed: p.person_agreed, agreedOn: p.agreed_on,
    organization: ref(p.organization_id), createdAt: isoReq(p.created_at), confirmedOn: p.confirmed_on, confirmedIn: p.confirmed_in,
    actions: actionRows.filter((a) => a.plan_id === p.id).map((a) => ({
      seq: a.seq, description: a.description, organization: refReq(a.organization_id), program: ref(a.program_id), dueDate: a.due_date, status: a.status,
    })),
  }));
  const { rows: consentRows } = await db.query<{ id: string; person_id: string; given_on: string; scope: string; method: string; recorded_at: Date; withdrawn_at: Date | null; withdrawal_note: string | null; orgs: string[] }>(
    `SELECT k.*, COALESCE((SELECT array_agg(ko.organization_id ORDER BY ko.organization_id) FROM consent_organization ko WHERE ko.municipality_id = k.municipality_id AND ko.consent_id = k.id), '{}') AS orgs
     FROM consent k WHERE k.municipality_id = $1 AND k.person_id = ANY($2::uuid[]) ORDER BY k.recorded_at, k.id`, [mid, ids]);
  const consents = consentRows.map((k) => ({
    id: k.id, personId: k.person_id, givenOn: k.given_on, scope: k.scope, method: k.method, organizations: k.orgs.map(refReq), recordedAt: isoReq(k.recorded_at),
    withdrawnAt: iso(k.withdrawn_at), withdrawalNote: k.withdrawal_note,
  }));

  // ------------------------------------------------------------ referrals: where their data went
  const { rows: refRows } = await db.query<{
    id: string; case_id: string; from_organization_id: string; to_organization_id: string; to_program_id: string | null; reason: string; shared_summary: string;
    urgency: string; first_contact_due: string; status: string; status_note: string | null; sent_at: Date; accepted_at: Date | null; declined_at: Date | null;
    first_contact_at: Date | null; completed_at: Date | null; returned_at: Date | null;
  }>('SELECT * FROM referral WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY sent_at, id', [mid, caseIds]);
  const { rows: refEvents } = await db.query<{ referral_id: string; status: string; note: string | null; at: Date; organization_id: string | null }>(
    'SELECT * FROM referral_event WHERE municipality_id = $1 AND referral_id = ANY($2::uuid[]) ORDER BY referral_id, seq', [mid, refRows.map((x) => x.id)]);
  const referrals = refRows.map((x) => {
    const rec = {
      id: x.id, caseId: x.case_id, caseReference: caseRef.get(x.case_id) ?? '', from: refReq(x.from_organization_id), to: refReq(x.to_organization_id),
      program: ref(x.to_program_id), reason: x.reason as string | null, sharedSummary: x.shared_summary as string | null, urgency: x.urgency,
      firstContactDue: x.first_contact_due, status: x.status, statusNote: x.status_note, sentAt: isoReq(x.sent_at), acceptedAt: iso(x.accepted_at),
      declinedAt: iso(x.declined_at), firstContactAt: iso(x.first_contact_at), completedAt: iso(x.completed_at), returnedAt: iso(x.returned_at),
      history: refEvents.filter((e) => e.referral_id === x.id).map((e) => ({ status: e.status, note: e.note, at: isoReq(e.at), organization: ref(e.organization_id) })),
      redacted: {} as Record<string, string>,
    };
    const text = r.add(`text:referral:${x.id}`, `つなぎの理由・共有内容（${rec.caseReference} → ${rec.to.name}）`, false, null);
    textUnits.set(`referral:${x.id}`, text);
    r.cover(text, rec, ['reason', 'sharedSummary', 'statusNote']);
    rec.history.forEach((h, i) => r.cover(text, h, ['note'], rec, `history.${i}.`));
    return rec;
  });
  const recipients: DisclosurePackage['recipients'] = [
    ...referrals.map((x) => ({
      organization: x.to, basis: 'referral' as const, since: x.sentAt, until: x.declinedAt ?? x.completedAt ?? x.returnedAt,
      detail: `${x.caseReference}: ${x.from.name} → ${x.to.name}${x.program ? `（${x.program.name}）` : ''}、状態 ${x.status}`,
    })),
    ...consents.flatMap((k) => k.organizations.map((o) => ({
      organization: o, basis: 'consent' as const, since: k.recordedAt, until: k.withdrawnAt, detail: `同意（${k.givenOn}、${k.method}）: ${k.scope}`,
    }))),
    ...cases.flatMap((c) => c.participants.filter((p) => p.role !== 'lead').map((p) => ({
      organization: p.organization, basis: 'participation' as const, since: p.since, until: p.until, detail: `${c.reference}: ${p.role}`,
    }))),
  ];

  // ------------------------------------------------------------ meetings that reviewed their cases
  const { rows: itemRows } = await db.query<{
    id: string; case_id: string; session_id: string; series_name: string; legal_basis: string; starts_at: Date; reason: string; minutes: string | null; shares: boolean;
  }>(
    `SELECT i.id, i.case_id, i.session_id, s.name AS series_name, s.legal_basis, ms.starts_at, i.reason, i.minutes,
            s.legal_basis = ANY($3::text[]) AS shares
     FROM meeting_agenda_item i JOIN meeting_session ms ON ms.municipality_id = i.municipality_id AND ms.id = i.session_id
     JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
     WHERE i.municipality_id = $1 AND i.case_id = ANY($2::uuid[]) ORDER BY ms.starts_at, i.position`, [mid, caseIds, STATUTORY_BASES]);
  const { rows: decisionRows } = await db.query<{ id: string; agenda_item_id: string; text: string; recorded_at: Date }>(
    'SELECT id, agenda_item_id, text, recorded_at FROM meeting_decision WHERE municipality_id = $1 AND agenda_item_id = ANY($2::uuid[]) ORDER BY recorded_at', [mid, itemRows.map((i) => i.id)]);
  const { rows: meetingActionRows } = await db.query<{ agenda_item_id: string | null; case_id: string; organization_id: string; description: string; due_on: string; status: string; done_at: Date | null }>(
    'SELECT agenda_item_id, case_id, organization_id, description, due_on::text, status, done_at FROM meeting_action_item WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY created_at', [mid, caseIds]);
  const { rows: invitedRows } = await db.query<{ session_id: string; organization_id: string }>(
    'SELECT session_id, organization_id FROM meeting_attendance WHERE municipality_id = $1 AND session_id = ANY($2::uuid[])', [mid, itemRows.map((i) => i.session_id)]);
  const meetings = itemRows.map((i) => {
    const rec = {
      sessionId: i.session_id, series: i.series_name, legalBasis: i.legal_basis, date: isoReq(i.starts_at), caseId: i.case_id, caseReference: caseRef.get(i.case_id) ?? '',
      reason: i.reason, minutes: i.minutes, decisions: decisionRows.filter((d) => d.agenda_item_id === i.id).map((d) => ({ text: d.text as string | null, recordedAt: isoReq(d.recorded_at) })),
      actionItems: meetingActionRows.filter((a) => a.agenda_item_id === i.id).map((a) => ({
        organization: refReq(a.organization_id), description: a.description as string | null, dueOn: a.due_on, status: a.status, doneAt: iso(a.done_at),
      })),
      redacted: {} as Record<string, string>,
    };
    const text = r.add(`text:meeting:${i.id}`, `会議の議事録・決定（${rec.caseReference}、${i.series_name} ${rec.date.slice(0, 10)}）`, false, null);
    r.cover(text, rec, ['minutes']);
    rec.decisions.forEach((d, n) => r.cover(text, d, ['text'], rec, `decisions.${n}.`));
    rec.actionItems.forEach((a, n) => r.cover(text, a, ['description'], rec, `actionItems.${n}.`));
    // a 支援会議 shared the case with its organisations without consent: say so among the recipients
    if (i.shares)
      for (const o of invitedRows.filter((x) => x.session_id === i.session_id))
        recipients.push({ organization: refReq(o.organization_id), basis: 'meeting', since: rec.date, until: null, detail: `${rec.caseReference}: ${i.series_name}（${rec.date.slice(0, 10)}）の議題` });
    return rec;
  });
  recipients.sort((a, b) => a.since.localeCompare(b.since));

  // ------------------------------------------------------------ participation and work: preferences, placements, check-ins
  const { rows: prefRows } = await db.query<{ case_id: string; hours_min: number | null; hours_max: number | null; days: string[]; tasks: string[]; area_id: string | null;
    max_travel_minutes: number | null; support_needed: string[]; notes: string | null; health_notes: string | null; updated_at: Date }>(
    'SELECT * FROM work_preference WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY case_id', [mid, caseIds]);
  const { rows: placementRows } = await db.query<{ id: string; case_id: string; placement: string; organization_id: string; trial_from: string | null; trial_to: string | null;
    days_attended: number; job_started_on: string | null; outcome: string | null; outcome_on: string | null; ended_reason: string | null; note: string | null; created_at: Date }>(
    `SELECT r.*, p.name AS placement FROM placement_record r JOIN placement p ON p.municipality_id = r.municipality_id AND p.id = r.placement_id
     WHERE r.municipality_id = $1 AND r.case_id = ANY($2::uuid[]) ORDER BY r.created_at`, [mid, caseIds]);
  const { rows: checkInRows } = await db.query<{ record_id: string; months: number; due_on: string; done_on: string | null; still_working: boolean | null; note: string | null }>(
    'SELECT * FROM retention_check_in WHERE municipality_id = $1 AND record_id = ANY($2::uuid[]) ORDER BY record_id, months', [mid, placementRows.map((x) => x.id)]);
  const workSupport = [
    ...prefRows.map((w) => {
      const rec = {
        kind: 'preferences' as const, caseId: w.case_id, at: isoReq(w.updated_at), placement: null, organization: null,
        detail: [w.hours_min !== null || w.hours_max !== null ? `週${w.hours_min ?? ''}〜${w.hours_max ?? ''}時間` : '', w.days.join('・'), w.tasks.join('・'),
          ref(w.area_id)?.name ?? '', w.max_travel_minutes !== null ? `移動${w.max_travel_minutes}分まで` : '', w.support_needed.join('・')].filter(Boolean).join('／'),
        notes: w.notes, healthNotes: w.health_notes, checkIns: [], redacted: {} as Record<string, string>,
      };
      r.cover(r.add(`text:work_preference:${w.case_id}`, `就労の希望の記載（${caseRef.get(w.case_id)}）`, false, null), rec, ['notes', 'healthNotes']);
      return rec;
    }),
    ...placementRows.map((x) => {
      const rec = {
        kind: 'placement' as const, caseId: x.case_id, at: isoReq(x.created_at), placement: x.placement, organization: refReq(x.organization_id),
        detail: [x.trial_from ? `体験 ${x.trial_from}〜${x.trial_to ?? ''}` : '', `出席${x.days_attended}日`, x.job_started_on ? `就職 ${x.job_started_on}` : '',
          x.outcome ? `結果 ${x.outcome}${x.outcome_on ? `（${x.outcome_on}）` : ''}${x.ended_reason ? `：${x.ended_reason}` : ''}` : ''].filter(Boolean).join('／'),
        notes: x.note, healthNotes: null,
        checkIns: checkInRows.filter((c) => c.record_id === x.id).map((c) => ({ months: c.months, dueOn: c.due_on, doneOn: c.done_on, stillWorking: c.still_working, note: c.note })),
        redacted: {} as Record<string, string>,
      };
      r.cover(r.add(`text:placement_record:${x.id}`, `受け入れの記録（${caseRef.get(x.case_id)}、${x.placement}）`, false, null), rec, ['notes']);
      return rec;
    }),
  ];

  // ------------------------------------------------------------ incidents (漏えい等) that concerned them
  const { rows: incidentRows } = await db.query<{ reference: string; title: string; discovered_at: Date; description: string; data_kinds: string[]; status: string; notified_on: string | null; notification_method: string | null }>(
    `SELECT i.reference, i.title, i.discovered_at, i.description, i.data_kinds, i.status, ip.notified_on::text, ip.notification_method
     FROM privacy_incident_person ip JOIN privacy_incident i ON i.municipality_id = ip.municipality_id AND i.id = ip.incident_id
     WHERE ip.municipality_id = $1 AND ip.person_id = ANY($2::uuid[]) ORDER BY i.discovered_at`, [mid, ids]);
  const incidents = incidentRows.map((i) => ({
    reference: i.reference, title: i.title, discoveredAt: isoReq(i.discovered_at), description: i.description, dataKinds: i.data_kinds, status: i.status,
    notifiedOn: i.notified_on, notificationMethod: i.notification_method,
  }));

  // ------------------------------------------------------------ the timeline
  const { rows: evRows } = await db.query<{ case_id: string; seq: number; at: Date; kind: string; organization_id: string | null; summary: string; entity_type: string | null; entity_id: string | null }>(
    'SELECT * FROM case_event WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY at, case_id, seq', [mid, caseIds]);
  const timeline = evRows.map((e) => {
    const rec = { caseId: e.case_id, seq: e.seq, at: isoReq(e.at), kind: e.kind, organization: ref(e.organization_id), summary: e.summary as string | null, redacted: {} as Record<string, string> };
    // an entry that repeats a record's text is withheld with that record
    const unit = (e.entity_type && textUnits.get(`${e.entity_type}:${e.entity_id}`))
      || r.add(`text:case_event:${e.case_id}:${e.seq}`, `経過の記載（${caseRef.get(e.case_id)}、${rec.at.slice(0, 10)}）`, false, null);
    r.cover(unit, rec, ['summary']);
    return rec;
  });

  // ------------------------------------------------------------ retention, requests, corrections, suspensions
  const { rows: policyRows } = await db.query<{ record_class: string; years: number }>(
    'SELECT record_class, years FROM retention_policy WHERE municipality_id = $1 ORDER BY record_class', [mid]);
  const { rows: holdRows } = await db.query<{ id: string; case_id: string | null; person_id: string | null; reason: string; placed_at: Date; released_at: Date | null }>(
    `SELECT * FROM legal_hold WHERE municipality_id = $1 AND (case_id = ANY($2::uuid[]) OR person_id = ANY($3::uuid[])) ORDER BY placed_at`, [mid, caseIds, ids]);
  const { rows: reqRows } = await db.query<{ id: string; reference: string; kind: string; received_on: string; deadline: string; extended_to: string | null; decision: string | null; decided_on: string | null }>(
    'SELECT * FROM privacy_request WHERE municipality_id = $1 AND person_id = ANY($2::uuid[]) ORDER BY received_on, reference', [mid, ids]);
  const reqRef = new Map(reqRows.map((q) => [q.id, q.reference]));
  const corrections = await listCorrections(db, mid, ids);
  const suspensions = await listSuspensions(db, mid, ids);
  const { rows: relRows } = await db.query<{ id: string; request_id: string; released_at: Date; redactions: { redacted: boolean }[] }>(
    'SELECT id, request_id, released_at, redactions FROM disclosure_release WHERE municipality_id = $1 AND request_id = ANY($2::uuid[]) ORDER BY released_at', [mid, reqRows.map((q) => q.id)]);

  // ------------------------------------------------------------ who accessed their record
  // Events about the person, their cases and records, or naming them in a list
  // or search (details.ids) or as the case's person (details.personId / caseId).
  // A scan of the municipality's audit chain: a disclosure is rare, the chain is
  // append-only and unindexed on details by design (no second copy of who read what).
  const entityIds = [...ids, ...caseIds, ...consultationIds, ...concernRows.map((c) => c.id), ...crRows.map((c) => c.id), ...asRows.map((a) => a.id),
    ...planRows.map((p) => p.id), ...consentRows.map((k) => k.id), ...refRows.map((x) => x.id), ...holdRows.map((h) => h.id), ...reqRows.map((q) => q.id)];
  const { rows: auditRows } = await db.query<{ occurred_at: Date; action: string; organization_id: string | null; role: string | null; actor_login: string | null; reason: string | null; outcome: string }>(
    `SELECT occurred_at, action, organization_id, role, actor_login, reason, outcome FROM audit_event
     WHERE municipality_id = $1 AND (entity_id = ANY($2::text[]) OR (jsonb_typeof(details->'ids') = 'array' AND details->'ids' ?| $3::text[])
       OR details->>'personId' = ANY($3::text[]) OR details->>'caseId' = ANY($4::text[]))
     ORDER BY seq`, [mid, entityIds, ids, caseIds]);
  const accessLog = auditRows.map((a) => ({
    at: isoReq(a.occurred_at), action: a.action, organization: ref(a.organization_id), role: a.role, actor: a.actor_login, reason: a.reason, outcome: a.outcome,
  }));

  const pkg: DisclosurePackage = {
    generatedAt: now.toISOString(),
    municipality: { id: mid, name: muni[0]?.name ?? '' },
    request: { id: request.id, reference: request.reference, kind: request.kind, receivedOn: request.receivedOn, decision: request.decision, decidedOn: request.decidedOn },
    persons, households, cases, consultations, concernReports, contactRecords, assessments, plans, consents, referrals, recipients, meetings, workSupport, incidents, timeline,
    retention: {
      policies: policyRows.map((p) => ({ recordClass: p.record_class, years: p.years })),
      holds: holdRows.map((h) => ({ id: h.id, caseId: h.case_id, personId: h.person_id, reason: h.reason, placedAt: isoReq(h.placed_at), releasedAt: iso(h.released_at) })),
    },
    privacyRequests: reqRows.map((q) => ({
      id: q.id, reference: q.reference, kind: q.kind, receivedOn: q.received_on, deadline: q.deadline, extendedTo: q.extended_to, decision: q.decision, decidedOn: q.decided_on,
    })),
    corrections, suspensions,
    releases: relRows.map((x) => ({ id: x.id, requestReference: reqRef.get(x.request_id) ?? '', releasedAt: isoReq(x.released_at), redactionCount: x.redactions.filter((d) => d.redacted).length })),
    accessLog,
    redactions: [],
  };
  pkg.redactions = r.apply(overrides);
  return pkg;
}

/** How many entries each section holds (kept with a release instead of the data). */
export function sectionCounts(pkg: DisclosurePackage): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(pkg)) if (Array.isArray(v) && k !== 'redactions') out[k] = v.length;
  out['retention.holds'] = pkg.retention.holds.length;
  return out;
}

export async function listCorrections(db: Db, mid: string, personIds: string[]): Promise<Correction[]> {
  const { rows } = await db.query<{ id: string; person_id: string; field: string; old_value: string | null; new_value: string | null; corrected_at: Date; login: string | null; request_id: string; reference: string }>(
    `SELECT c.*, q.reference, u.login FROM person_correction c
     JOIN privacy_request q ON q.municipality_id = c.municipality_id AND q.id = c.request_id
     LEFT JOIN app_user u ON u.id = c.corrected_by
     WHERE c.municipality_id = $1 AND c.person_id = ANY($2::uuid[]) ORDER BY c.corrected_at, c.id`, [mid, personIds]);
  return rows.map((c) => ({
    id: c.id, personId: c.person_id, field: c.field, oldValue: c.old_value, newValue: c.new_value, correctedAt: isoReq(c.corrected_at),
    correctedBy: c.login, requestId: c.request_id, requestReference: c.reference,
  }));
}

export async function listSuspensions(db: Db, mid: string, personIds: string[]): Promise<Suspension[]> {
  const { rows } = await db.query<{ id: string; person_id: string; request_id: string; reference: string; suspended_on: string; suspended_at: Date; lifted_on: string | null; lifted_at: Date | null; lift_reason: string | null }>(
    `SELECT s.*, q.reference FROM use_suspension s JOIN privacy_request q ON q.municipality_id = s.municipality_id AND q.id = s.request_id
     WHERE s.municipality_id = $1 AND s.person_id = ANY($2::uuid[]) ORDER BY s.suspended_at`, [mid, personIds]);
  return rows.map((s) => ({
    id: s.id, personId: s.person_id, requestId: s.request_id, requestReference: s.reference, suspendedOn: s.suspended_on, suspendedAt: isoReq(s.suspended_at),
    liftedOn: s.lifted_on, liftedAt: iso(s.lifted_at), liftReason: s.lift_reason,
  }));
}
