import { createHash, randomUUID } from 'node:crypto';
import { prepared, type Db, type Prepared } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/context.ts';
import { PLATFORM_CHAIN } from '../../lib/ids.ts';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  /** The tenant whose chain records it; defaults to the actor's municipality, else the platform chain. */
  municipalityId?: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  /** Why: the purpose or legal basis of a read, the reason for a change. */
  reason?: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

interface AuditRow {
  municipality_id: string;
  seq: number;
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_login: string | null;
  organization_id: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  reason: string | null;
  outcome: AuditOutcome;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const genesisHash = (chain: string) => createHash('sha256').update(`tsunagu-audit-genesis:${chain}`).digest('hex');

/** JSON with object keys sorted, so the hash does not depend on how jsonb orders them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
}

function hashRow(r: Omit<AuditRow, 'hash'>): string {
  const fields = [
    r.municipality_id, r.seq, r.id, new Date(r.occurred_at).toISOString(), r.actor_user_id, r.actor_login,
    r.organization_id, r.role, r.action, r.entity_type, r.entity_id, r.reason, r.outcome, r.request_id, r.ip,
    r.details, r.prev_hash,
  ];
  return createHash('sha256').update(canonical(fields)).digest('hex');
}

interface Pending {
  actor: Actor;
  entry: AuditEntry;
  done(err?: unknown): void;
}

/**
 * Events waiting for their chain's head, per database and chain; see recordAudit. `head`: where this
 * process last left the chain, a guess the compare-and-set checks (appendGroup).
 */
interface Chain {
  queue: Pending[];
  running: boolean;
  head?: Head;
}
const waiting = new WeakMap<Db, Map<string, Chain>>();
const MAX_GROUP = 100;

/**
 * Appends an audit event to its municipality's hash chain. Call it with the
 * transaction of the change it records, so both commit or neither does.
 *
 * Outside a transaction (the reads: lists, searches, record views) the event
 * joins a group: the chain's head is locked from the first statement to
 * commit, so one event per transaction would let a municipality's staff read
 * only as fast as one commit after another. Events that arrive while a group
 * is being written are written together in the next one. Each call still
 * returns only once its own event has committed.
 */
export async function recordAudit(tx: Db, clock: Clock, actor: Actor, entry: AuditEntry): Promise<void> {
  const chain = entry.municipalityId ?? actor.municipalityId ?? PLATFORM_CHAIN;
  if (tx.inTransaction) return appendEvents(tx, clock, chain, [{ actor, entry }]);
  let chains = waiting.get(tx);
  if (!chains) waiting.set(tx, (chains = new Map()));
  let group = chains.get(chain);
  if (!group) chains.set(chain, (group = { queue: [], running: false }));
  const g = group;
  const written = new Promise<void>((resolve, reject) => g.queue.push({ actor, entry, done: (err) => (err ? reject(err) : resolve()) }));
  if (!g.running) void writeGroups(tx, clock, chain, g);
  return written;
}

async function writeGroups(db: Db, clock: Clock, chain: string, g: Chain) {
  g.running = true;
  try {
    while (g.queue.length > 0) {
      const group = g.queue.splice(0, MAX_GROUP);
      try {
        await appendGroup(db, clock, chain, g, group);
        for (const p of group) p.done();
      } catch (err) {
        // one event the database refuses (a data exception, SQLSTATE class 22) must not take the others with
        // it: write them one by one; any other failure (the database unreachable) fails the group at once
        if (group.length === 1 || !String((err as { code?: unknown }).code ?? '').startsWith('22')) for (const p of group) p.done(err);
        else for (const p of group) await appendGroup(db, clock, chain, g, [p]).then(() => p.done(), (e) => p.done(e));
      }
    }
  } finally {
    g.running = false;
  }
}

type Event = { actor: Actor; entry: AuditEntry };
type Head = { seq: number; hash: string };

/**
 * Appends a group of read events without a transaction of its own: one statement moves the head and
 * writes the events only if the head is still where this process last left it (compare and set). One
 * round trip while this process is the chain's only writer, instead of four (BEGIN, lock, append,
 * COMMIT), and the head is locked only while that statement runs. When another writer has moved it (a
 * change's transaction, another instance), the head is read and the statement tried again; after a few
 * tries, or for a chain not begun yet, the group takes the lock.
 */
async function appendGroup(db: Db, clock: Clock, chain: string, g: Chain, events: Event[]): Promise<void> {
  const readHead = async () => (await db.query<Head>(READ_HEAD, [chain])).rows[0];
  let head = g.head ?? (await readHead());
  g.head = undefined;
  for (let attempt = 0; head && attempt < 3; attempt++) {
    const { params, moved } = chained(clock, chain, head, events);
    if ((await db.query(compareAndAppendStatement(events.length), [...params, moved.seq, moved.hash, head.seq])).rowCount > 0) {
      g.head = moved;
      return;
    }
    head = await readHead();
  }
  await db.transaction((t) => appendEvents(t, clock, chain, events));
}

/** Locks the chain's head, appends the events after it in order and moves the head, in the caller's transaction. */
async function appendEvents(tx: Db, clock: Clock, chain: string, events: Event[]): Promise<void> {
  await tx.transaction(async (t) => {
    // The head row stays locked until commit, so every statement in between is a wait for the
    // municipality's other writers: the genesis insert runs only for a new chain, and the events
    // and the head are written in one statement.
    const lockHead = async () => (await t.query<Head>(LOCK_HEAD, [chain])).rows[0];
    let head = await lockHead();
    if (!head) {
      await t.query('INSERT INTO audit_chain_head (municipality_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING', [chain, genesisHash(chain)]);
      head = (await lockHead())!;
    }
    const { params, moved } = chained(clock, chain, head, events);
    await t.query(appendStatement(events.length), [...params, moved.seq, moved.hash]);
  });
}

/** The events' rows after `head`, hash-chained (18 parameters each), and the head they move it to. */
function chained(clock: Clock, chain: string, head: Head, events: Event[]): { params: unknown[]; moved: Head } {
  const now = clock.now();
  let seq = Number(head.seq);
  let prev = head.hash;
  const params: unknown[] = [];
  for (const { actor, entry } of events) {
    const row: Omit<AuditRow, 'hash'> = {
      municipality_id: chain,
      seq: ++seq,
      id: randomUUID(),
      occurred_at: now,
      actor_user_id: actor.userId,
      actor_login: actor.login,
      organization_id: actor.organizationId,
      role: actor.role,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      reason: entry.reason ?? null,
      outcome: entry.outcome ?? 'success',
      request_id: actor.requestId ?? null,
      ip: actor.ip ?? null,
      details: entry.details ?? {},
      prev_hash: prev,
    };
    prev = hashRow(row);
    params.push(row.municipality_id, row.seq, row.id, row.occurred_at, row.actor_user_id, row.actor_login, row.organization_id, row.role,
      row.action, row.entity_type, row.entity_id, row.reason, row.outcome, row.request_id, row.ip, JSON.stringify(row.details), row.prev_hash, prev);
  }
  return { params, moved: { seq, hash: prev } };
}

const READ_HEAD = prepared('audit-read-head', 'SELECT seq, hash FROM audit_chain_head WHERE municipality_id = $1');
const LOCK_HEAD = prepared('audit-lock-head', 'SELECT seq, hash FROM audit_chain_head WHERE municipality_id = $1 FOR UPDATE');

const EVENT_COLUMNS = `municipality_id, seq, id, occurred_at, actor_user_id, actor_login, organization_id, role,
  action, entity_type, entity_id, reason, outcome, request_id, ip, details, prev_hash, hash`;
const EVENT_TYPES = ['uuid', 'bigint', 'uuid', 'timestamptz', 'uuid', 'text', 'uuid', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'text', 'text'];
/** `n` rows of event parameters, typed (a VALUES list outside an INSERT does not take the table's types). */
const eventValues = (n: number) =>
  Array.from({ length: n }, (_, e) => `(${EVENT_TYPES.map((type, i) => `$${e * 18 + i + 1}::${type}`).join(',')})`).join(',');

/**
 * A change's own event, and a read's when no other waits, is one: those statements are prepared. A
 * group's goes as text: its planning is shared by the group, and a statement per group size would stay
 * on every connection.
 */
const oneOrMore = (one: Prepared, text: (n: number) => string) => (n: number) => (n === 1 ? one : text(n));

/** Writes `n` events and moves the head to the last two parameters, in a transaction holding the head's lock. */
const appendText = (n: number) => `WITH event AS (INSERT INTO audit_event (${EVENT_COLUMNS}) VALUES ${eventValues(n)})
  UPDATE audit_chain_head SET seq = $${n * 18 + 1}, hash = $${n * 18 + 2} WHERE municipality_id = $1`;
const appendStatement = oneOrMore(prepared('audit-append-one', appendText(1)), appendText);

/** As appendText, if the head is still at the seq of the last parameter: else writes nothing (0 rows). */
const compareAndAppendText = (n: number) => `WITH moved AS (
    UPDATE audit_chain_head SET seq = $${n * 18 + 1}, hash = $${n * 18 + 2} WHERE municipality_id = $1 AND seq = $${n * 18 + 3} RETURNING seq)
  INSERT INTO audit_event (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS}
  FROM (VALUES ${eventValues(n)}) AS event (${EVENT_COLUMNS}) WHERE EXISTS (SELECT 1 FROM moved)`;
const compareAndAppendStatement = oneOrMore(prepared('audit-compare-and-append-one', compareAndAppendText(1)), compareAndAppendText);

export interface ChainProblem {
  municipalityId: string;
  seq: number;
  problem: string;
}

export interface AuditVerification {
  ok: boolean;
  chains: number;
  events: number;
  problems: ChainProblem[];
}

/** Recomputes every chain and reports each event that was changed, removed or inserted. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<AuditVerification> {
  const heads = (await db.query<{ municipality_id: string; seq: number; hash: string }>('SELECT municipality_id, seq, hash FROM audit_chain_head ORDER BY municipality_id')).rows;
  const problems: ChainProblem[] = [];
  let events = 0;
  const checkpoints = new Map((await db.query<{ municipality_id: string; seq: number; hash: string }>('SELECT municipality_id, seq, hash FROM audit_checkpoint')).rows
    .map((c) => [c.municipality_id, c]));
  for (const head of heads) {
    const chain = head.municipality_id;
    // after a retention purge the chain starts from its checkpoint
    const checkpoint = checkpoints.get(chain);
    let prevHash = checkpoint?.hash ?? genesisHash(chain);
    let expectedSeq = checkpoint ? Number(checkpoint.seq) + 1 : 1;
    for (;;) {
      const { rows } = await db.query<AuditRow>(
        // up to the head read above: events appended meanwhile are checked next time
        'SELECT * FROM audit_event WHERE municipality_id = $1 AND seq >= $2 AND seq <= $4 ORDER BY seq LIMIT $3',
        [chain, expectedSeq, batchSize, head.seq],
      );
      for (const r of rows) {
        const seq = Number(r.seq);
        events++;
        if (seq !== expectedSeq) problems.push({ municipalityId: chain, seq: expectedSeq, problem: `events ${expectedSeq}–${seq - 1} are missing` });
        if (r.prev_hash !== prevHash) problems.push({ municipalityId: chain, seq, problem: 'does not link to the event before it' });
        if (hashRow({ ...r, seq }) !== r.hash) problems.push({ municipalityId: chain, seq, problem: 'content differs from what was recorded' });
        prevHash = r.hash;
        expectedSeq = seq + 1;
      }
      if (rows.length < batchSize) break;
    }
    if (expectedSeq - 1 !== Number(head.seq) || prevHash !== head.hash)
      problems.push({ municipalityId: chain, seq: Number(head.seq), problem: 'the chain ends before its recorded head (events removed at the end)' });
  }
  return { ok: problems.length === 0, chains: heads.length, events, problems };
}

/**
 * Retention: removes a municipality's audit events older than `before` (a
 * prefix of its chain) and keeps the hash of the last one removed, from which
 * what remains still verifies. Needs the owner's connection on PostgreSQL.
 */
export async function purgeAuditBefore(tx: Db, clock: Clock, municipalityId: string, before: Date, dryRun: boolean): Promise<number> {
  const { rows } = await tx.query<{ seq: number; hash: string; n: number }>(
    `SELECT max(seq) AS seq, (array_agg(hash ORDER BY seq DESC))[1] AS hash, count(*) AS n FROM audit_event WHERE municipality_id = $1 AND occurred_at < $2`,
    [municipalityId, before]);
  const last = rows[0];
  const n = Number(last.n ?? 0);
  if (dryRun || n === 0) return n;
  await tx.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
  await tx.query('DELETE FROM audit_event WHERE municipality_id = $1 AND seq <= $2', [municipalityId, last.seq]);
  await tx.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
  await tx.query(
    `INSERT INTO audit_checkpoint (municipality_id, seq, hash, purged_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (municipality_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, purged_at = EXCLUDED.purged_at`,
    [municipalityId, last.seq, last.hash, clock.now()]);
  return n;
}
