import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { addDays, japanDate, warekiTimeRange } from '../../lib/fiscal.ts';
import type { Addressee, MessageSender } from '../../lib/sender.ts';
import type { MunicipalitySnapshot, PublicEvent, PublicSnapshotSource } from './crossing.ts';

/**
 * Reminders and notices to event registrants, from the public side's own
 * outbox (public_event_message): a reminder the day before the event, at a set
 * hour in Japan, and a notice when someone moves up from the waiting list. A
 * message is rendered when it is sent, from the registration (kept on this
 * side only) and the event as last published, so a moved date is right and
 * no registrant's contact ever crosses to the staff side. This file must not
 * import staff modules.
 */

export type RegistrantMessageKind = 'reminder' | 'moved_up';

export interface RegistrantMessageOptions {
  /** Where residents reach the public pages (TSUNAGU_PUBLIC_SITE_URL): the cancel link starts here. */
  siteUrl: string;
  /** The hour in Japan, the day before the event, from which its reminder goes out (TSUNAGU_EVENT_REMINDER_HOUR). */
  reminderHour: number;
}

export async function enqueueRegistrantMessage(
  tx: Db, clock: Clock, municipalityId: string, eventId: string, registrationId: string, kind: RegistrantMessageKind, cancelCode: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO public_event_message (municipality_id, id, registration_id, event_id, kind, cancel_code, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (municipality_id, registration_id, kind) DO NOTHING`,
    [municipalityId, randomUUID(), registrationId, eventId, kind, cancelCode, clock.now()],
  );
}

/** The notice to a registrant who moved up from the waiting list; it carries the code the reminder row holds. */
export async function enqueueMovedUpNotice(tx: Db, clock: Clock, municipalityId: string, registrationId: string): Promise<void> {
  await tx.query(
    `INSERT INTO public_event_message (municipality_id, id, registration_id, event_id, kind, cancel_code, created_at)
     SELECT municipality_id, $3, registration_id, event_id, 'moved_up', cancel_code, $4 FROM public_event_message
     WHERE municipality_id = $1 AND registration_id = $2 AND kind = 'reminder'
     ON CONFLICT (municipality_id, registration_id, kind) DO NOTHING`,
    [municipalityId, registrationId, randomUUID(), clock.now()],
  );
}

/** From when the event's reminder goes out: the day before it, in Japan, at the set hour. */
export function reminderTime(event: Pick<PublicEvent, 'startsAt'>, hour: number): Date {
  const day = addDays(japanDate(new Date(event.startsAt)), -1);
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+09:00`);
}

/** 令和8年8月1日（土）14:00〜16:00, in Japan time; an event over several days names both dates. */
export const eventWhen = (event: Pick<PublicEvent, 'startsAt' | 'endsAt'>): string => warekiTimeRange(event.startsAt, event.endsAt);

export function cancelLink(siteUrl: string, municipalityCode: string, eventId: string, cancelCode: string): string {
  return `${siteUrl.replace(/\/$/, '')}/public/${municipalityCode}/events?event=${eventId}&cancel=${encodeURIComponent(cancelCode)}`;
}

export function renderRegistrantMessage(
  kind: RegistrantMessageKind, event: PublicEvent, municipality: MunicipalitySnapshot['municipality'], nickname: string, cancelCode: string, siteUrl: string,
): { subject: string; body: string } {
  const where = [event.place, event.online ? 'オンライン' : null].filter(Boolean).join('／');
  const details = [
    `行事: ${event.title}`,
    `日時: ${eventWhen(event)}`,
    ...(where ? [`場所: ${where}`] : []),
    ...(event.organizers.length ? [`主催: ${event.organizers.join('、')}`] : []),
  ];
  const cancel = [
    '参加できなくなったときは、次のリンクから取り消してください。席を待っている方に順番が回ります。',
    cancelLink(siteUrl, municipality.code, event.id, cancelCode),
    `（取消コード: ${cancelCode}）`,
  ];
  const lead = kind === 'reminder'
    ? [`${nickname} さん`, '', `お申し込みの「${event.title}」は明日です。`]
    : [`${nickname} さん`, '', `キャンセル待ちをされていた「${event.title}」に空きが出たため、参加が決まりました。`];
  return {
    subject: kind === 'reminder' ? `【${municipality.name}】明日は「${event.title}」です` : `【${municipality.name}】「${event.title}」の参加が決まりました`,
    body: [...lead, '', ...details, '', ...cancel, '', `${municipality.name}（このお知らせは送信専用です）`].join('\n'),
  };
}

interface PendingRow {
  municipality_id: string; id: string; kind: RegistrantMessageKind; event_id: string; cancel_code: string;
  nickname: string; email: string | null; phone: string | null; status: 'registered' | 'waiting'; created_at: Date;
}

const CLAIM_MS = 10 * 60_000;

/**
 * Sends the messages that are due. A message is claimed before it is sent
 * (two instances, or two runs that overlap, never send it twice) and marked
 * sent after its sender returned; a failure is recorded and retried on the
 * next run. A reminder goes only to those registered (not waiting), not
 * after the event started, and not to someone who registered after its time.
 */
export async function deliverRegistrantMessages(
  { db, clock }: { db: Db; clock: Clock }, snapshots: PublicSnapshotSource, sender: MessageSender, opts: RegistrantMessageOptions,
): Promise<{ sent: number; failed: number }> {
  const now = clock.now();
  const { rows } = await db.query<PendingRow>(
    `SELECT m.municipality_id, m.id, m.kind, m.event_id, m.cancel_code, r.nickname, r.email, r.phone, r.status, r.created_at
     FROM public_event_message m JOIN public_event_registration r ON r.municipality_id = m.municipality_id AND r.id = m.registration_id
     WHERE m.sent_at IS NULL AND m.attempts < 10 AND (m.claimed_until IS NULL OR m.claimed_until < $1)
     ORDER BY m.created_at, m.id`,
    [now],
  );
  const published = new Map<string, Awaited<ReturnType<PublicSnapshotSource['snapshot']>>>();
  let sent = 0;
  let failed = 0;
  for (const m of rows) {
    if (!published.has(m.municipality_id)) published.set(m.municipality_id, await snapshots.snapshot(m.municipality_id));
    const snapshot = published.get(m.municipality_id);
    const event = snapshot?.events.find((e) => e.id === m.event_id);
    if (!snapshot || !event || m.status !== 'registered' || Date.parse(event.startsAt) <= now.getTime()) continue;
    if (m.kind === 'reminder') {
      const at = reminderTime(event, opts.reminderHour);
      if (now < at || m.created_at >= at) continue;
    }
    const { rows: claimed } = await db.query(
      `UPDATE public_event_message SET claimed_until = $3
       WHERE municipality_id = $1 AND id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $4) RETURNING id`,
      [m.municipality_id, m.id, new Date(now.getTime() + CLAIM_MS), now],
    );
    if (!claimed[0]) continue;
    const to: Addressee = m.email ? { address: m.email, channel: 'email', name: m.nickname } : { address: m.phone!, channel: 'phone', name: m.nickname };
    try {
      await sender.send({ id: m.id, kind: `event_${m.kind}`, ...renderRegistrantMessage(m.kind, event, snapshot.municipality, m.nickname, m.cancel_code, opts.siteUrl) }, [to]);
      await db.query('UPDATE public_event_message SET sent_at = $3, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE municipality_id = $1 AND id = $2', [m.municipality_id, m.id, clock.now()]);
      sent++;
    } catch (e) {
      await db.query('UPDATE public_event_message SET attempts = attempts + 1, last_error = $3, claimed_until = NULL WHERE municipality_id = $1 AND id = $2', [m.municipality_id, m.id, String((e as Error).message).slice(0, 500)]);
      failed++;
    }
  }
  return { sent, failed };
}
