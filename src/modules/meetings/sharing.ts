import type { Db } from '../../db/index.ts';
import type { Actor } from '../../lib/context.ts';
import { LEGAL_BASES } from '../network/vocabulary.ts';

/**
 * Sharing in a statutory support meeting (支援会議: 社会福祉法第106条の6,
 * 生活困窮者自立支援法第9条). Its members are bound to confidentiality, so a
 * member organisation may see the summary of a case on a session's agenda
 * without the person's consent — only while the session's window is open,
 * only after the member has acknowledged the duty of confidentiality, and
 * every view audited with the session as its reason. Other meetings share
 * only under consent; a case without it appears pseudonymised.
 */
export const STATUTORY_BASES: readonly string[] = LEGAL_BASES.filter((b) => b.sharesWithoutConsent).map((b) => b.code);

export const isStatutory = (legalBasis: string) => STATUTORY_BASES.includes(legalBasis);

/** The wording members acknowledge (守秘義務), kept with the acknowledgement. */
export const CONFIDENTIALITY_STATEMENT =
  '支援会議の構成員として、会議で知り得た秘密を正当な理由なく漏らしません（社会福祉法第106条の6第5項・生活困窮者自立支援法第9条第5項）。会議の時間外に事例の情報を閲覧しません。';

export interface MeetingShare {
  sessionId: string;
  seriesId: string;
  seriesName: string;
  /** The session's date (Japan time). */
  date: string;
}

/**
 * SQL: the organisation takes part in the session `ms` of the series `s`
 * (aliases) — a member of the series, its organiser, or invited to this
 * session — and the user has acknowledged the series' duty of confidentiality.
 */
const takesPartSql = (org: string, user: string) => `(
  (EXISTS (SELECT 1 FROM meeting_series_member m WHERE m.municipality_id = s.municipality_id AND m.series_id = s.id AND m.organization_id = ${org}::uuid AND m.active)
   OR s.organizer_id = ${org}::uuid
   OR EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.municipality_id = ms.municipality_id AND a.session_id = ms.id AND a.organization_id = ${org}::uuid))
  AND EXISTS (SELECT 1 FROM meeting_acknowledgement k WHERE k.municipality_id = s.municipality_id AND k.series_id = s.id AND k.user_id = ${user}::uuid))`;

/** The 支援会議 session through which the actor may see this case now, if any. */
export async function activeMeetingShare(db: Db, actor: Actor, caseId: string, now: Date): Promise<MeetingShare | null> {
  if (actor.role !== 'org_staff' || !actor.userId) return null;
  const { rows } = await db.query<{ session_id: string; series_id: string; name: string; date: string }>(
    `SELECT ms.id AS session_id, s.id AS series_id, s.name, (ms.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS date FROM meeting_session ms
     JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
     JOIN meeting_agenda_item ai ON ai.municipality_id = ms.municipality_id AND ai.session_id = ms.id AND ai.case_id = $3
     WHERE ms.municipality_id = $1 AND ms.status <> 'cancelled' AND $4 >= ms.share_from AND $4 < ms.share_until
       AND s.legal_basis = ANY($5::text[]) AND ${takesPartSql('$2', '$6')}
     ORDER BY ms.starts_at LIMIT 1`,
    [actor.municipalityId, actor.organizationId, caseId, now, STATUTORY_BASES, actor.userId],
  );
  return rows[0] ? { sessionId: rows[0].session_id, seriesId: rows[0].series_id, seriesName: rows[0].name, date: rows[0].date } : null;
}

/**
 * Checks a share that rests on a 支援会議 (a referral): the session is of a
 * series held on that basis and not cancelled, the case was on its agenda,
 * and the receiving organisation takes part in it (a member or invited).
 * Answers the series and the date to record, or what is wrong.
 */
export async function sessionForShare(db: Db, mid: string, q: { sessionId: string; caseId: string; basis: string; receiverId: string | null }):
  Promise<{ seriesId: string; date: string } | { problem: string }> {
  const { rows } = await db.query<{ series_id: string; legal_basis: string; status: string; date: string; on_agenda: boolean; takes_part: boolean }>(
    `SELECT ms.series_id, s.legal_basis, ms.status, (ms.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS date,
            EXISTS (SELECT 1 FROM meeting_agenda_item ai WHERE ai.municipality_id = ms.municipality_id AND ai.session_id = ms.id AND ai.case_id = $3) AS on_agenda,
            (EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.municipality_id = ms.municipality_id AND a.session_id = ms.id AND a.organization_id = $4)
             OR EXISTS (SELECT 1 FROM meeting_series_member m WHERE m.municipality_id = s.municipality_id AND m.series_id = s.id AND m.organization_id = $4 AND m.active)) AS takes_part
     FROM meeting_session ms JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
     WHERE ms.municipality_id = $1 AND ms.id = $2`, [mid, q.sessionId, q.caseId, q.receiverId]);
  const r = rows[0];
  if (!r || r.legal_basis !== q.basis) return { problem: 'Name a session of a meeting of this municipality held on this legal basis.' };
  if (r.status === 'cancelled') return { problem: 'That session was cancelled.' };
  if (!r.on_agenda) return { problem: 'The case was not on that session’s agenda; put it on the agenda first.' };
  if (!r.takes_part) return { problem: 'The receiving organisation does not take part in that meeting; invite it to the session first.' };
  return { seriesId: r.series_id, date: r.date };
}
