import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { LINK, PUBLIC } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Clock } from '../../lib/clock.ts';
import { receiptCode, verifyChallenge } from './concerns.ts';
import { enqueueMovedUpNotice, enqueueRegistrantMessage } from './registrantMessages.ts';
import { LIMITS, PHONE_PATTERN, plainText, type PublicEvent } from './crossing.ts';

/**
 * Event registration on the public side (講演会・UX女子会): no sign-in, the
 * least data (a nickname, an email or phone for reminders, an optional
 * municipality). The registrant keeps a code to cancel with; a full event
 * offers a waiting list that moves up when someone cancels. Rows stay here,
 * are deleted a set time after the event, and the staff side pulls counts
 * only. This file must not import staff modules.
 */

export type RegistrationStatus = 'registered' | 'waiting';

export interface RegistrationInput {
  nickname: string;
  email?: string | null;
  phone?: string | null;
  fromMunicipality?: string | null;
  waitingList?: boolean;
}

const codeHash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
const DAY_MS = 86_400_000;

/** Deletes registrations whose event ended longer ago than the municipality keeps them. */
export async function purgeEventRegistrations(db: Db, clock: Clock): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM public_event_registration WHERE delete_after < $1', [clock.now()]);
  return rowCount ?? 0;
}

export async function registerForEvent(
  db: Db, clock: Clock, municipalityId: string, event: PublicEvent, input: RegistrationInput,
): Promise<{ cancelCode: string; status: RegistrationStatus; position: number | null }> {
  const now = clock.now();
  if (!event.registrationOpen || Date.parse(event.endsAt) < now.getTime())
    throw conflict('Registration for this event is closed.');
  const nickname = plainText(input.nickname);
  if (!nickname) throw badRequest('Give a nickname.', [{ field: 'nickname', message: 'Give a nickname.' }]);
  const email = plainText(input.email ?? '') || null;
  const phone = plainText(input.phone ?? '') || null;
  if (!email && !phone)
    throw badRequest('Give an email or a phone number for reminders.', [{ field: 'email', message: 'Give an email or a phone number for reminders.' }]);
  const from = plainText(input.fromMunicipality ?? '') || null;
  const code = receiptCode();
  return db.transaction(async (tx) => {
    // one registration at a time per event, so the capacity holds
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event:${event.id}`]);
    const { rows } = await tx.query<{ status: RegistrationStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM public_event_registration WHERE municipality_id = $1 AND event_id = $2 GROUP BY status',
      [municipalityId, event.id],
    );
    const registered = rows.find((r) => r.status === 'registered')?.n ?? 0;
    const waiting = rows.find((r) => r.status === 'waiting')?.n ?? 0;
    const full = event.capacity !== null && registered >= event.capacity;
    if (full && !input.waitingList) throw conflict('The event is full. You may join the waiting list.');
    const status: RegistrationStatus = full ? 'waiting' : 'registered';
    const id = randomUUID();
    await tx.query(
      `INSERT INTO public_event_registration (municipality_id, event_id, id, nickname, email, phone, from_municipality, status, cancel_code_hash, created_at, delete_after)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [municipalityId, event.id, id, nickname, email, phone, from, status, codeHash(code), now, new Date(Date.parse(event.endsAt) + event.keepDays * DAY_MS)],
    );
    // the reminder the day before, sent by the registrant-messages job when due (registrantMessages.ts)
    await enqueueRegistrantMessage(tx, clock, municipalityId, event.id, id, 'reminder', code);
    return { cancelCode: code, status, position: status === 'waiting' ? waiting + 1 : null };
  });
}

/** Cancels by the code; the first on the waiting list moves up into a freed place. Unknown codes answer 404. */
export async function cancelRegistration(db: Db, clock: Clock, municipalityId: string, event: PublicEvent, code: string): Promise<{ movedUp: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event:${event.id}`]);
    const { rows } = await tx.query<{ status: RegistrationStatus }>(
      'DELETE FROM public_event_registration WHERE municipality_id = $1 AND event_id = $2 AND cancel_code_hash = $3 RETURNING status',
      [municipalityId, event.id, codeHash(code)],
    );
    if (!rows[0]) throw notFound('registration');
    if (rows[0].status !== 'registered') return { movedUp: 0 };
    const { rows: reg } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM public_event_registration WHERE municipality_id = $1 AND event_id = $2 AND status = 'registered'`, [municipalityId, event.id],
    );
    const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : event.capacity - reg[0].n;
    if (free <= 0) return { movedUp: 0 };
    const { rows: moved } = await tx.query<{ id: string }>(
      `UPDATE public_event_registration SET status = 'registered', promoted_at = $4
       WHERE (municipality_id, id) IN (SELECT municipality_id, id FROM public_event_registration
         WHERE municipality_id = $1 AND event_id = $2 AND status = 'waiting' ORDER BY created_at, id LIMIT $3)
       RETURNING id`,
      [municipalityId, event.id, Math.min(free, 1000), clock.now()],
    );
    for (const r of moved) await enqueueMovedUpNotice(tx, clock, municipalityId, r.id);
    return { movedUp: moved.length };
  });
}

export interface EventCounts {
  municipalityId: string;
  eventId: string;
  registered: number;
  waiting: number;
  /** Registered per the municipality registrants gave ("" when none was given). */
  byMunicipality: { municipality: string; registered: number }[];
}

/** What the staff side pulls: counts per event, never a registrant's details. Purges expired registrations first. */
export async function eventRegistrationCounts(db: Db, clock: Clock): Promise<EventCounts[]> {
  await purgeEventRegistrations(db, clock);
  const { rows } = await db.query<{ municipality_id: string; event_id: string; status: RegistrationStatus; from_municipality: string | null; n: number }>(
    `SELECT municipality_id, event_id, status, from_municipality, count(*)::int AS n FROM public_event_registration
     GROUP BY municipality_id, event_id, status, from_municipality ORDER BY municipality_id, event_id`,
  );
  const byEvent = new Map<string, EventCounts>();
  for (const r of rows) {
    const key = `${r.municipality_id}/${r.event_id}`;
    let c = byEvent.get(key);
    if (!c) byEvent.set(key, (c = { municipalityId: r.municipality_id, eventId: r.event_id, registered: 0, waiting: 0, byMunicipality: [] }));
    if (r.status === 'waiting') {
      c.waiting += r.n;
      continue;
    }
    c.registered += r.n;
    const m = r.from_municipality ?? '';
    const row = c.byMunicipality.find((x) => x.municipality === m);
    if (row) row.registered += r.n;
    else c.byMunicipality.push({ municipality: m, registered: r.n });
  }
  return [...byEvent.values()];
}

// ---- routes

const EventParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function publicEventRoutes(app: FastifyInstance, deps: {
  db: Db; clock: Clock;
  published: (code: string | undefined) => Promise<{ m: { id: string }; snapshot: { events: PublicEvent[] } }>;
}) {
  const tags = ['public'];

  async function eventOf(code: string | undefined, id: string) {
    const { m, snapshot } = await deps.published(code);
    const event = snapshot.events.find((e) => e.id === id);
    if (!event) throw notFound('event');
    return { m, event };
  }

  app.post('/api/public/events/:id/registrations', {
    config: { access: PUBLIC, rateLimit: { max: 5, timeWindow: 10 * 60_000 } },
    schema: {
      tags, summary: 'Register for an event without signing in (a nickname and an email or phone); answers the code to cancel with',
      params: EventParams,
      body: Type.Object({
        municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        nickname: Type.String({ minLength: 1, maxLength: 50 }),
        email: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.email, format: 'email' }), Type.Null(), Type.Literal('')])),
        phone: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.phone, pattern: PHONE_PATTERN }), Type.Null()])),
        fromMunicipality: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
        waitingList: Type.Optional(Type.Boolean()),
        website: Type.Optional(Type.String({ maxLength: 200 })),
        challenge: Type.String({ maxLength: 300 }),
        solution: Type.String({ maxLength: 20 }),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({ cancelCode: Type.String(), status: Type.Union([Type.Literal('registered'), Type.Literal('waiting')]), position: Type.Union([Type.Integer(), Type.Null()]) }),
        ...errorResponses(400, 404, 409, 429),
      },
    },
  }, async (req, reply) => {
    const body = req.body as RegistrationInput & { municipality?: string; website?: string; challenge: string; solution: string };
    const { m, event } = await eventOf(body.municipality, (req.params as { id: string }).id);
    if (body.website) return reply.status(201).send({ cancelCode: 'ZZZZ-ZZZZ', status: 'registered', position: null });
    await verifyChallenge(deps.db, deps.clock, m.id, body.challenge, body.solution);
    await purgeEventRegistrations(deps.db, deps.clock);
    return reply.status(201).send(await registerForEvent(deps.db, deps.clock, m.id, event, body));
  });

  app.post('/api/public/events/:id/registrations/cancel', {
    config: { access: PUBLIC, rateLimit: { max: 10, timeWindow: 10 * 60_000 } },
    schema: {
      tags, summary: 'Cancel a registration with its code (no sign-in); a place freed goes to the first on the waiting list',
      params: EventParams,
      body: Type.Object({
        municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        code: Type.String({ pattern: '^[0-9A-Za-z]{4}-[0-9A-Za-z]{4}$' }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ cancelled: Type.Boolean() }), ...errorResponses(400, 404, 429) },
    },
  }, async (req) => {
    const body = req.body as { municipality?: string; code: string };
    const { m, event } = await eventOf(body.municipality, (req.params as { id: string }).id);
    await cancelRegistration(deps.db, deps.clock, m.id, event, body.code);
    return { cancelled: true };
  });

}

/** The link end the staff side pulls counts from. */
export function eventLinkRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  app.get('/api/link/event-counts', {
    config: { access: LINK, rateLimit: { max: 600, timeWindow: 60_000 } },
    schema: {
      tags: ['link'], summary: 'Registration counts per event (no registrant details); expired registrations are deleted first',
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            municipalityId: Type.String(), eventId: Type.String(), registered: Type.Integer(), waiting: Type.Integer(),
            byMunicipality: Type.Array(Type.Object({ municipality: Type.String(), registered: Type.Integer() })),
          })),
        }),
        ...errorResponses(401, 403, 429),
      },
    },
  }, async () => ({ items: await eventRegistrationCounts(db, clock) }));
}
