import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery, type PageParams } from '../../lib/pagination.ts';
import { actorOf } from '../auth/service.ts';
import { listDropInOpenings, setDropInOpenings, type DropInOpeningInput } from './dropInOpenings.ts';
import {
  attendanceFigures, createEvent, EVENT_KINDS, getEvent, keepDays, listDropInDays, listDropInPlaces, listEvents, recordAttendance, recordDropInDay,
  setKeepDays, updateEvent, type AttendanceRow, type DropInDayInput, type DropInDayQuery, type EventInput,
} from './events.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const Count = Type.Union([Type.Integer(), Type.String()], { description: 'a number, or "<N" when suppressed, or "—" when hidden so that a small count cannot be worked out from the sums' });
const Small = Type.Integer({ minimum: 0, maximum: 100_000 });

const CoMunicipality = Type.Object({ municipalityId: Nullable(Uuid), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const InputFields = {
  programId: Type.Optional(Nullable(Uuid)),
  kind: Enum(EVENT_KINDS),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  startsAt: DateTime,
  endsAt: DateTime,
  place: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  online: Type.Boolean(),
  capacity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
  organizerOrgIds: Type.Array(Uuid, { maxItems: 20, uniqueItems: true }),
  coMunicipalities: Type.Optional(Type.Array(CoMunicipality, { maxItems: 50 })),
  published: Type.Boolean(),
  registrationOpen: Type.Optional(Type.Boolean()),
};
const Event = Type.Object({
  id: Uuid, municipalityId: Uuid, programId: Nullable(Type.String()), kind: Enum(EVENT_KINDS), title: Type.String(), description: Nullable(Type.String()),
  startsAt: Type.String(), endsAt: Type.String(), place: Nullable(Type.String()), online: Type.Boolean(), capacity: Nullable(Type.Integer()),
  organizerOrgIds: Type.Array(Type.String()), coMunicipalities: Type.Array(Type.Object({ municipalityId: Nullable(Type.String()), name: Type.String() })),
  published: Type.Boolean(), registrationOpen: Type.Boolean(), registered: Type.Integer(), waiting: Type.Integer(),
  registeredByMunicipality: Type.Record(Type.String(), Type.Integer()), countsPulledAt: Nullable(Type.String()), version: Type.Integer(),
});
const ByMunicipality = Type.Object({ municipality: Type.String(), came: Count, firstTimers: Count });
const DropInDay = Type.Object({
  id: Uuid, programId: Uuid, day: Type.String(), visitors: Type.Integer(), firstTimers: Type.Integer(), note: Nullable(Type.String()), linkedCases: Type.Integer(),
});

/**
 * Events (講演会・研修・交流会・UX女子会) and drop-in days (居場所). Staff of the
 * hub and of organising organisations; a co-organising municipality's staff
 * see per-municipality counts only.
 */
export function eventRoutes(app: FastifyInstance, deps: Deps, opts: { suppressBelow: number; pullCounts?: () => Promise<unknown> }) {
  const tags = ['events'];
  const STAFF = roles('hub_coordinator', 'org_staff');
  const HUB = roles('hub_coordinator');
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;
  const fresh = async () => {
    // in one process the counts are read from the public store at once; apart, the scheduled pull brings them
    if (opts.pullCounts) await opts.pullCounts().catch(() => {});
  };

  app.get('/api/events', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Events of this municipality, a page at a time, latest start first (with registration counts pulled from the public side), and events it co-organises that ended within the last 365 days (per-municipality counts only)',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Event),
          nextCursor: NextCursor,
          coOrganised: Type.Array(Type.Object({
            id: Uuid, organizer: Type.String(), title: Type.String(), kind: Enum(EVENT_KINDS), startsAt: Type.String(), endsAt: Type.String(),
            registeredByMunicipality: Type.Array(Type.Object({ municipality: Type.String(), registered: Count })),
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => {
    await fresh();
    return listEvents(deps, actorOf(req.session!, req), req.query as PageParams);
  });

  app.post('/api/events', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Create an event (the hub, or staff of an organising organisation); published events reach the public side with the snapshot',
      body: Type.Object(InputFields, { additionalProperties: false }),
      response: { 201: Event, ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(await createEvent(deps, actorOf(req.session!, req), req.body as EventInput)));

  app.get('/api/events/settings', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'How many days after an event its registrations are deleted on the public side',
      response: { 200: Type.Object({ registrationKeepDays: Type.Integer() }), ...errorResponses(401, 403) },
    },
  }, async (req) => ({ registrationKeepDays: await keepDays(deps.db, actorOf(req.session!, req).municipalityId!) }));

  app.put('/api/events/settings', {
    config: { access: HUB },
    schema: {
      tags, summary: 'Set how many days after an event its registrations are kept (default 30)',
      body: Type.Object({ registrationKeepDays: Type.Integer({ minimum: 1, maximum: 365 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ registrationKeepDays: Type.Integer() }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const { registrationKeepDays } = req.body as { registrationKeepDays: number };
    await setKeepDays(deps, actorOf(req.session!, req), registrationKeepDays);
    return { registrationKeepDays };
  });

  app.get('/api/events/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One event of this municipality, with its counts', params: IdParams, response: { 200: Event, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => {
    await fresh();
    return getEvent(deps, actorOf(req.session!, req), idOf(req));
  });

  app.put('/api/events/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Change an event (the hub, or staff of an organising organisation)',
      params: IdParams,
      body: Type.Object({ version: Type.Integer(), ...InputFields }, { additionalProperties: false }),
      response: { 200: Event, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const { version, ...input } = req.body as EventInput & { version: number };
    return updateEvent(deps, actorOf(req.session!, req), idOf(req), version, input);
  });

  app.put('/api/events/:id/attendance', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record a session’s attendance without names: how many came from each municipality, how many for the first time',
      params: IdParams,
      body: Type.Object({
        sessionOn: DateStr,
        rows: Type.Array(Type.Object({ fromMunicipality: Type.String({ minLength: 1, maxLength: 100 }), came: Small, firstTimers: Small }, { additionalProperties: false }), { maxItems: 100 }),
      }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const { sessionOn, rows } = req.body as { sessionOn: string; rows: AttendanceRow[] };
    await recordAttendance(deps, actorOf(req.session!, req), idOf(req), sessionOn, rows);
    return reply.status(204).send();
  });

  app.get('/api/events/:id/attendance', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Attendance per session and per municipality, small counts suppressed (TSUNAGU_STATS_SUPPRESS_BELOW); co-organisers see the same',
      params: IdParams,
      response: {
        200: Type.Object({
          sessions: Type.Array(Type.Object({ sessionOn: Type.String(), came: Count, firstTimers: Count, byMunicipality: Type.Array(ByMunicipality) })),
          byMunicipality: Type.Array(ByMunicipality),
          total: Type.Object({ came: Count, firstTimers: Count }),
          suppressBelow: Type.Integer(),
          secondarySuppression: Type.Boolean({ description: 'some counts are "—": hidden so that no small count can be worked out from the sums' }),
        }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => attendanceFigures(deps, actorOf(req.session!, req), idOf(req), opts.suppressBelow));

  app.get('/api/drop-in-places', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'The drop-in places (居場所) of this municipality',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), nameEn: Nullable(Type.String()), organizations: Type.Array(Type.String()) })) }), ...errorResponses(401, 403) },
    },
  }, async (req) => ({ items: await listDropInPlaces(deps, actorOf(req.session!, req)) }));

  const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Japan time' });
  const OpeningFields = {
    freq: Type.Union([Type.Literal('WEEKLY'), Type.Literal('MONTHLY')]),
    byday: Type.String({ minLength: 2, maxLength: 60, description: "RFC 5545 BYDAY: 'TU,TH' weekly; '2SA,4SA' or '-1FR' monthly" }),
    opensAt: Time, closesAt: Time,
    validFrom: Type.Optional(Nullable(DateStr)), validTo: Type.Optional(Nullable(DateStr)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  };
  const Opening = Type.Object({
    id: Uuid, programId: Uuid, ...OpeningFields, validFrom: Nullable(Type.String()), validTo: Nullable(Type.String()), description: Nullable(Type.String()), summary: Type.String(),
  });

  app.get('/api/drop-in-places/:id/openings', {
    config: { access: STAFF },
    schema: {
      tags, summary: "A drop-in place's regular opening days (published with its service in the directory and on the navigator)",
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(Opening) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listDropInOpenings(deps, actorOf(req.session!, req), idOf(req)) }));

  app.put('/api/drop-in-places/:id/openings', {
    config: { access: STAFF },
    schema: {
      tags, summary: "Replace a drop-in place's regular opening days (the hub or the organisations running it)",
      params: IdParams,
      body: Type.Object({ openings: Type.Array(Type.Object(OpeningFields, { additionalProperties: false }), { maxItems: 20 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Opening) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await setDropInOpenings(deps, actorOf(req.session!, req), idOf(req), (req.body as { openings: DropInOpeningInput[] }).openings) }));

  app.get('/api/drop-in-days', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Opening days of the drop-in places, a page at a time, latest day first: visitors and first-timers per day',
      querystring: Type.Object({ programId: Type.Optional(Uuid), from: Type.Optional(DateStr), to: Type.Optional(DateStr), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(DropInDay), nextCursor: NextCursor }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listDropInDays(deps, actorOf(req.session!, req), req.query as DropInDayQuery));

  app.post('/api/drop-in-days', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record an opening day of a drop-in place; a visitor with a case who agreed is linked as a contact record of the case',
      body: Type.Object({
        programId: Uuid, day: DateStr, visitors: Small, firstTimers: Small, note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
        caseVisits: Type.Optional(Type.Array(Type.Object({ caseId: Uuid, consented: Type.Boolean() }, { additionalProperties: false }), { maxItems: 100 })),
      }, { additionalProperties: false }),
      response: { 201: DropInDay, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await recordDropInDay(deps, actorOf(req.session!, req), req.body as DropInDayInput)));
}
