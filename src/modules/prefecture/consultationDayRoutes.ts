import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { sensitive } from '../../http/sensitive.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../lib/context.ts';
import { fiscalYearOf, japanDate } from '../../lib/fiscal.ts';
import { actorOf } from '../auth/service.ts';
import {
  bookSession, cancelBooking, consultationDayFigures, CONSENT_FIELDS, deleteDay, getDay, listDays, planDay, planDefaults, recordOutcome, replanDay, updateBooking, WHO,
  type BookingInput, type DayInput, type OutcomeInput, type ReplanInput,
} from './consultationDays.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Code = Type.String({ pattern: '^\\d{6}$', description: 'municipality code (6 digits)' });
const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM' });
const Count = Type.Union([Type.Integer(), Type.String()], { description: 'a count, or "<N" where small counts are suppressed' });
const MunicipalityRef = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

const Booking = Type.Object({
  id: Uuid,
  who: Nullable(Enum(WHO)),
  nickname: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  consentScope: Type.Array(Enum(CONSENT_FIELDS)),
  note: Nullable(Type.String()),
  bookedAt: Type.String({ format: 'date-time' }),
  reminderSentAt: Nullable(Type.String({ format: 'date-time' })),
  reminder: Nullable(Type.Object({
    channel: Enum(['email', 'phone']), state: Enum(['queued', 'sent', 'failed']), at: Nullable(Type.String({ format: 'date-time' })),
  }, { description: 'for the window: an email reminder through the outside sender, or (a phone number) a call task for the window; null for the centre' })),
}, { description: 'for the centre, only the fields the person’s recorded consent covers (others are null)' });
const Session = Type.Object({
  id: Uuid, position: Type.Integer(), startsAt: Type.String(), endsAt: Type.String(), booking: Nullable(Booking),
  outcome: Nullable(Type.Object({
    attended: Type.Boolean(), came: Nullable(Enum(WHO)), mainConcern: Type.Optional(Nullable(Type.String({ ...sensitive(), description: 'the main concern (may be 要配慮; left out for users without the grant)' }))),
    referral: Nullable(Type.Object({ organizationId: Uuid, consultationId: Nullable(Uuid) })),
  })),
});
const SummaryFields = {
  id: Uuid, municipality: MunicipalityRef, date: Type.String(), dateLabel: Type.String(), place: Nullable(Type.String()), startTime: Type.String(),
  sessionCount: Type.Integer(), sessionMinutes: Type.Integer(), staff: Type.Array(Type.String()), booked: Type.Integer(),
};
const Day = Type.Object({ ...SummaryFields, sessions: Type.Array(Session) });
const Defaults = Type.Object({
  municipalitiesPerYear: Nullable(Type.Integer()), daysPerMunicipality: Nullable(Type.Integer()), sessionsPerDay: Type.Integer(),
  sessionMinutes: Type.Integer(), staffPerDay: Nullable(Type.Integer()), startTime: Type.String(),
});
const Contact = {
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};

/**
 * 巡回相談: the centre plans consultation days and records their outcomes;
 * the municipality's window (and hub) books the sessions for residents.
 */
export function consultationDayRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const tags = ['prefecture'];
  const CENTRE = roles('prefecture_staff');
  const WINDOW = roles('municipal_window', 'hub_coordinator');
  const BOTH = roles('prefecture_staff', 'municipal_window', 'hub_coordinator');
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const today = () => japanDate(deps.clock.now());

  app.get('/api/prefecture/consultation-days', {
    config: { access: BOTH },
    schema: {
      tags, summary: 'Consultation days of a fiscal year (the centre: every municipality it covers; a window: its own municipality’s), with the centre’s defaults',
      querystring: Type.Object({ fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), municipality: Type.Optional(Code) }, { additionalProperties: false }),
      response: { 200: Type.Object({ defaults: Nullable(Defaults), items: Type.Array(Type.Object(SummaryFields)) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const a = actor(req);
    return {
      defaults: a.role === 'prefecture_staff' ? await planDefaults(deps.db, a) : null,
      items: await listDays(deps, a, req.query as { fiscalYear?: number; municipality?: string }, today()),
    };
  });

  app.post('/api/prefecture/consultation-days', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Plan a consultation day in a municipality; its sessions are made from the start time, count and length (the profile’s defaults where not given)',
      body: Type.Object({
        municipalityCode: Code, date: Type.String({ format: 'date' }), place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), startTime: Type.Optional(Time),
        sessionCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })), sessionMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 240 })),
        staff: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 10 }),
        confirmMoreMunicipalities: Type.Optional(Type.Boolean({ description: 'plan it even though the fiscal year then has more municipalities than the profile’s municipalitiesPerYear' })),
        confirmMoreDays: Type.Optional(Type.Boolean({ description: 'plan it even though the municipality then has more days in the fiscal year than the profile’s daysPerMunicipality' })),
      }, { additionalProperties: false }),
      response: { 201: Day, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.code(201).send(await planDay(deps, actor(req), req.body as DayInput)));

  app.patch('/api/prefecture/consultation-days/:id', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Re-plan a day (date, sessions, place, staff): bookings follow their sessions (or move to free ones that stay); the windows that booked are told',
      params: IdParams,
      body: Type.Object({
        date: Type.Optional(Type.String({ format: 'date' })), place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), startTime: Type.Optional(Time),
        sessionCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })), sessionMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 240 })),
        staff: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 10 })),
      }, { additionalProperties: false }),
      response: { 200: Day, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => replanDay(deps, actor(req), (req.params as { id: string }).id, req.body as ReplanInput));

  app.delete('/api/prefecture/consultation-days/:id', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Delete a day nobody is booked on (a day with bookings answers 409: re-plan it instead)', params: IdParams,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    await deleteDay(deps, actor(req), (req.params as { id: string }).id);
    return reply.code(204).send();
  });

  app.get('/api/prefecture/consultation-days/figures', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Sessions offered, booked, used and referrals made, per municipality in a fiscal year (small counts suppressed)',
      querystring: Type.Object({ fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          fiscalYear: Type.Integer(), suppressBelow: Type.Integer(),
          items: Type.Array(Type.Object({ municipality: MunicipalityRef, offered: Count, booked: Count, used: Count, referrals: Count })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => consultationDayFigures(deps, actor(req), (req.query as { fiscalYear?: number }).fiscalYear ?? fiscalYearOf(deps.clock.now()), config.stats.suppressBelow));

  app.get('/api/prefecture/consultation-days/:id', {
    config: { access: BOTH },
    schema: { tags, summary: 'A consultation day with its sessions, bookings (the centre sees what consent covers) and outcomes', params: IdParams, response: { 200: Day, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getDay(deps, actor(req), (req.params as { id: string }).id));

  app.post('/api/prefecture/consultation-days/bookings', {
    config: { access: WINDOW },
    schema: {
      tags, summary: 'Book a session for a resident (a nickname is enough); a session already booked answers 409',
      body: Type.Object({
        sessionId: Uuid, who: Enum(WHO), nickname: Type.String({ minLength: 1, maxLength: 50 }), consentScope: Type.Array(Enum(CONSENT_FIELDS), { maxItems: 3 }), ...Contact,
      }, { additionalProperties: false }),
      response: { 201: Day, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await bookSession(deps, actor(req), req.body as BookingInput)));

  app.patch('/api/prefecture/consultation-days/bookings/:id', {
    config: { access: WINDOW },
    schema: {
      tags, summary: 'Move a booking to another session, or change what it records',
      params: IdParams,
      body: Type.Object({
        sessionId: Type.Optional(Uuid), who: Type.Optional(Enum(WHO)), nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        consentScope: Type.Optional(Type.Array(Enum(CONSENT_FIELDS), { maxItems: 3 })), ...Contact,
      }, { additionalProperties: false }),
      response: { 200: Day, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateBooking(deps, actor(req), (req.params as { id: string }).id, req.body as Partial<BookingInput>));

  app.delete('/api/prefecture/consultation-days/bookings/:id', {
    config: { access: WINDOW },
    schema: { tags, summary: 'Cancel a booking: the session is free again', params: IdParams, response: { 200: Day, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => cancelBooking(deps, actor(req), (req.params as { id: string }).id));

  app.put('/api/prefecture/consultation-days/sessions/:id/outcome', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Record a session’s outcome; a referral the person agreed to becomes a consultation in the chosen local organisation’s queue',
      params: IdParams,
      body: Type.Object({
        attended: Type.Boolean(), came: Type.Optional(Nullable(Enum(WHO))), mainConcern: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
        referral: Type.Optional(Nullable(Type.Object({ organizationId: Uuid, summary: Type.String({ maxLength: 2000 }), consent: Type.Boolean() }, { additionalProperties: false }))),
      }, { additionalProperties: false }),
      response: { 200: Day, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => recordOutcome(deps, actor(req), (req.params as { id: string }).id, req.body as OutcomeInput));
}
