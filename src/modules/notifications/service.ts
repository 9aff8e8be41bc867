import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Deps } from '../../lib/context.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import type { MessageSender } from '../../lib/sender.ts';
import type { Role } from '../auth/roles.ts';

/**
 * The message outbox (ARCHITECTURE "Serving"): alerts and reminders are
 * written in the transaction that causes them and delivered by a job through a
 * pluggable sender. In the app, a user sees the messages addressed to them or
 * to their role until they mark them read.
 */
export interface OutboxMessage {
  municipalityId: string;
  kind: string;
  toRole?: Role;
  toUserId?: string;
  subject: string;
  body: string;
  entityType?: string;
  entityId?: string;
}

export async function enqueueMessage(db: Db, clock: Clock, m: OutboxMessage): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO message_outbox (municipality_id, id, kind, to_role, to_user_id, subject, body, entity_type, entity_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [m.municipalityId, id, m.kind, m.toRole ?? null, m.toUserId ?? null, m.subject, m.body, m.entityType ?? null, m.entityId ?? null, clock.now()],
  );
  return id;
}

export interface Recipient {
  userId: string;
  login: string;
  displayName: string;
}

export { fileSender, type MessageSender } from '../../lib/sender.ts';

async function recipients(db: Db, municipalityId: string, toRole: string | null, toUserId: string | null): Promise<Recipient[]> {
  const { rows } = await db.query<Recipient>(
    `SELECT DISTINCT u.id AS "userId", u.login, u.display_name AS "displayName"
     FROM app_user u JOIN membership m ON m.user_id = u.id
     WHERE u.active AND m.active AND m.municipality_id = $1 AND (u.id = $3::uuid OR m.role = $2::text)
     ORDER BY u.login`,
    [municipalityId, toRole, toUserId],
  );
  return rows;
}

/**
 * Delivers unsent messages, oldest first. A failure is recorded on the message
 * and retried on the next run; a message is marked sent only after its sender
 * returned.
 */
export async function deliverOutbox({ db, clock }: Deps, sender: MessageSender, limit = 100): Promise<{ sent: number; failed: number }> {
  const { rows } = await db.query<{ municipality_id: string; id: string; kind: string; to_role: string | null; to_user_id: string | null; subject: string; body: string }>(
    `SELECT municipality_id, id, kind, to_role, to_user_id, subject, body FROM message_outbox
     WHERE sent_at IS NULL AND attempts < 10 ORDER BY created_at LIMIT $1`,
    [limit],
  );
  let sent = 0;
  let failed = 0;
  for (const m of rows) {
    try {
      const to = await recipients(db, m.municipality_id, m.to_role, m.to_user_id);
      await sender.send({ id: m.id, subject: m.subject, body: m.body, kind: m.kind }, to.map((r) => ({ address: r.login, channel: 'login' as const, name: r.displayName })));
      await db.query('UPDATE message_outbox SET sent_at = $3, attempts = attempts + 1, last_error = NULL WHERE municipality_id = $1 AND id = $2', [m.municipality_id, m.id, clock.now()]);
      sent++;
    } catch (e) {
      await db.query('UPDATE message_outbox SET attempts = attempts + 1, last_error = $3 WHERE municipality_id = $1 AND id = $2', [m.municipality_id, m.id, String((e as Error).message).slice(0, 500)]);
      failed++;
    }
  }
  return { sent, failed };
}

export interface InboxItem {
  id: string;
  kind: string;
  subject: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

const INBOX_KEY = ['timestamp', 'uuid'] as const;

export interface Addressee {
  municipalityId: string;
  userId: string;
  role: string;
}

// Alerts to the user, and alerts to their role not also addressed to them: each
// part reads its own index (migration 0052) newest first. `rt` is the user's
// すべて既読 boundary, `filter` what else a row must satisfy.
const ADDRESSED = (filter: string, tail = '') => ['o.to_user_id = $2', 'o.to_role = $3 AND o.to_user_id IS DISTINCT FROM $2'].map((to) =>
  `(SELECT o.*, rt.read_through, rt.marked_at FROM message_outbox o CROSS JOIN rt
    WHERE o.municipality_id = $1 AND ${to} ${filter} ${tail})`);
const READ_THROUGH = `rt AS (
    SELECT COALESCE(max(read_through), '-infinity') AS read_through, max(marked_at) AS marked_at
    FROM message_read_through WHERE municipality_id = $1 AND user_id = $2)`;
const NOT_READ = `o.created_at > rt.read_through AND NOT EXISTS (
    SELECT 1 FROM message_read r WHERE r.municipality_id = o.municipality_id AND r.message_id = o.id AND r.user_id = $2)`;

/**
 * A page of the in-app alerts of a user in the municipality of their session
 * (to them, or to their role), newest first, with how many of all of them are unread.
 */
export async function listInbox(db: Db, who: Addressee, opts: { unreadOnly?: boolean } & PageParams = {}): Promise<Page<InboxItem> & { unread: number }> {
  const after = decodeKeyset(opts.cursor, INBOX_KEY);
  const limit = opts.limit ?? 50;
  const filter = `${opts.unreadOnly ? `AND ${NOT_READ}` : ''} ${after ? 'AND (o.created_at, o.id) < ($5::timestamptz, $6::uuid)' : ''}`;
  const { rows: fetched } = await db.query<InboxItem>(
    `WITH ${READ_THROUGH}
     SELECT m.id, m.kind, m.subject, m.body, m.entity_type AS "entityType", m.entity_id AS "entityId", m.created_at AS "createdAt",
            COALESCE(r.read_at, CASE WHEN m.created_at <= m.read_through THEN m.marked_at END) AS "readAt"
     FROM (${ADDRESSED(filter, 'ORDER BY o.created_at DESC, o.id DESC LIMIT $4').join(' UNION ALL ')}) m
     LEFT JOIN message_read r ON r.municipality_id = m.municipality_id AND r.message_id = m.id AND r.user_id = $2
     ORDER BY m.created_at DESC, m.id DESC LIMIT $4`,
    [who.municipalityId, who.userId, who.role, limit + 1, ...(after ?? [])],
  );
  const { rows, nextCursor } = keysetPage(fetched, limit, (m) => [m.createdAt, m.id]);
  return { items: rows, nextCursor, unread: await unreadCount(db, who) };
}

async function unreadCount(db: Db, who: Addressee): Promise<number> {
  const [toUser, toRole] = ADDRESSED(`AND ${NOT_READ}`);
  const { rows } = await db.query<{ unread: number }>(
    `WITH ${READ_THROUGH}
     SELECT (SELECT count(*) FROM ${toUser} x)::int + (SELECT count(*) FROM ${toRole} y)::int AS unread`,
    [who.municipalityId, who.userId, who.role],
  );
  return rows[0].unread;
}

/**
 * すべて既読: every alert to the user or their role created up to `through`
 * (the newest one they were shown; never later than now) counts as read from
 * now on. Returns how many are still unread.
 */
export async function markAllRead({ db, clock }: Deps, who: Addressee, through: Date): Promise<number> {
  const now = clock.now();
  await db.query(
    `INSERT INTO message_read_through (municipality_id, user_id, read_through, marked_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (municipality_id, user_id) DO UPDATE SET read_through = EXCLUDED.read_through, marked_at = EXCLUDED.marked_at
     WHERE message_read_through.read_through < EXCLUDED.read_through`,
    [who.municipalityId, who.userId, through < now ? through : now, now],
  );
  return unreadCount(db, who);
}

/** Marks a message read for this user; false when it is not addressed to them. */
export async function markRead({ db, clock }: Deps, who: Addressee, messageId: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM message_outbox WHERE municipality_id = $1 AND id = $2 AND (to_user_id = $3 OR to_role = $4)',
    [who.municipalityId, messageId, who.userId, who.role],
  );
  if (rows.length === 0) return false;
  await db.query(
    'INSERT INTO message_read (municipality_id, message_id, user_id, read_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [who.municipalityId, messageId, who.userId, clock.now()],
  );
  return true;
}
