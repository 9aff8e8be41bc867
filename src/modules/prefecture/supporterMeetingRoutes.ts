import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles, SIGNED_IN } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { fiscalYearOf } from '../../lib/fiscal.ts';
import { actorOf } from '../auth/service.ts';
import {
  cancelMeeting, cancelRegistration, createMeeting, getMeeting, listInvitables, listMeetings, markAttendance, MEETING_KINDS, register, supporterMeetingFigures,
  supporterMeetingFiguresFile, updateMeeting, type FiguresFormat, type MeetingChanges, type MeetingInput, type RegistrationInput,
} from './supporterMeetings.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM' });
const Code = Type.String({ pattern: '^\\d{6}$', description: 'municipality code (6 digits)' });
const FiscalYear = Type.Object({ fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false });

const Invitee = Type.Object({ kind: Enum(['municipality', 'partner']), id: Uuid, code: Nullable(Type.String()), name: Type.String() });
const Tally = Type.Object({ invited: Type.Integer(), registered: Type.Integer(), attended: Type.Integer() });
const SummaryFields = {
  id: Uuid, kind: Enum(MEETING_KINDS), title: Type.String(), date: Type.String(), dateLabel: Type.String(), startTime: Type.String(), endTime: Nullable(Type.String()),
  place: Nullable(Type.String()), online: Type.Boolean(), capacity: Type.Integer(), registered: Type.Integer(), free: Type.Integer(),
  registrationDeadline: Type.String(), deadlineLabel: Type.String(), open: Type.Boolean(), held: Type.Boolean(),
  cancelled: Nullable(Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String() })),
};
const Meeting = Type.Object({
  ...SummaryFields,
  description: Nullable(Type.String()), allMunicipalities: Type.Boolean(), version: Type.Integer(),
  invitees: Type.Array(Type.Object({ ...Invitee.properties, registered: Type.Integer(), attended: Type.Integer() })),
  registrations: Type.Array(Type.Object({
    id: Uuid, invitee: Invitee, name: Type.String(), section: Nullable(Type.String()), job: Nullable(Type.String()), email: Nullable(Type.String()),
    walkIn: Type.Boolean(), attended: Nullable(Type.Boolean()), registeredAt: Type.String({ format: 'date-time' }),
  }), { description: 'the centre: every registration; municipal staff: their own municipality’s' }),
});
const MeetingFields = {
  kind: Enum(MEETING_KINDS), title: Type.String({ minLength: 1, maxLength: 200 }), date: Type.String({ format: 'date' }), startTime: Time,
  endTime: Type.Optional(Nullable(Time)), place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), online: Type.Boolean(),
  capacity: Type.Integer({ minimum: 1, maximum: 1000 }), registrationDeadline: Type.String({ format: 'date' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  allMunicipalities: Type.Boolean(), municipalityCodes: Type.Array(Code, { maxItems: 100 }), partnerIds: Type.Array(Uuid, { maxItems: 100 }),
};

/**
 * 支援者交流会・研修: the centre (prefecture staff) plans and runs them; a
 * municipality's hub and window staff see those their municipality is
 * invited to and register for it. Anyone else is answered 404.
 */
export function supporterMeetingRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['prefecture'];
  const CENTRE = roles('prefecture_staff');
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;

  app.get('/api/prefecture/supporter-meetings', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Supporters’ exchange meetings and trainings of a fiscal year (the centre: all; municipal staff: those their municipality is invited to), with free places and deadlines',
      querystring: FiscalYear,
      response: { 200: Type.Object({ items: Type.Array(Type.Object(SummaryFields)) }), ...errorResponses(400, 401, 404) },
    },
  }, async (req) => ({ items: await listMeetings(deps, actor(req), req.query as { fiscalYear?: number }) }));

  app.post('/api/prefecture/supporter-meetings', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Plan a meeting and invite municipalities (all covered, or chosen) and partner groups; the municipalities’ hub and window staff get an alert',
      body: Type.Object(MeetingFields, { additionalProperties: false }),
      response: { 201: Meeting, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.code(201).send(await createMeeting(deps, actor(req), req.body as MeetingInput)));

  app.get('/api/prefecture/supporter-meetings/invitees', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Who the centre may invite: the municipalities it covers and its partner groups',
      response: { 200: Type.Object({ municipalities: Type.Array(Invitee), partners: Type.Array(Invitee) }), ...errorResponses(401, 403, 404) },
    },
  }, async (req) => listInvitables(deps, actor(req)));

  app.get('/api/prefecture/supporter-meetings/figures', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Per municipality and partner group in a fiscal year (municipal staff: their own municipality): meetings invited to, registrations and attendance, by kind (staff figures)',
      querystring: FiscalYear,
      response: {
        200: Type.Object({
          fiscalYear: Type.Integer(), label: Type.String(),
          rows: Type.Array(Type.Object({ invitee: Invitee, exchange: Tally, training: Tally, total: Tally })),
        }),
        ...errorResponses(400, 401, 404),
      },
    },
  }, async (req) => supporterMeetingFigures(deps, actor(req), (req.query as { fiscalYear?: number }).fiscalYear ?? fiscalYearOf(deps.clock.now())));

  app.get('/api/prefecture/supporter-meetings/figures/export', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'The figures of a fiscal year as a file: xlsx, or one CSV table (UTF-8 with BOM, or Shift_JIS as sjis.csv); staff figures, audited',
      querystring: Type.Object({ ...FiscalYear.properties, format: Enum(['xlsx', 'csv', 'sjis.csv']) }, { additionalProperties: false }),
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
      response: { 200: Type.String(), ...errorResponses(400, 401, 404) },
    },
  }, async (req, reply) => {
    const q = req.query as { fiscalYear?: number; format: FiguresFormat };
    const { file, name } = await supporterMeetingFiguresFile(deps, actor(req), q.fiscalYear ?? fiscalYearOf(deps.clock.now()), q.format);
    return reply
      .type(q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : `text/csv; charset=${q.format === 'csv' ? 'utf-8' : 'Shift_JIS'}`)
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(file);
  });

  app.get('/api/prefecture/supporter-meetings/:id', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'A meeting with its invitees’ registered and attended, and the registrations the asker may see', params: IdParams, response: { 200: Meeting, ...errorResponses(400, 401, 404) } },
  }, async (req) => getMeeting(deps, actor(req), id(req)));

  app.patch('/api/prefecture/supporter-meetings/:id', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Change a meeting until it is held (carries the version; a stale change answers 409); newly invited municipalities get the invitation',
      params: IdParams,
      body: Type.Object({ ...Object.fromEntries(Object.entries(MeetingFields).map(([k, v]) => [k, Type.Optional(v)])), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Meeting, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateMeeting(deps, actor(req), id(req), req.body as MeetingChanges));

  app.post('/api/prefecture/supporter-meetings/:id/cancel', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Cancel a meeting with its reason; the invited municipalities are told, and the centre is given the partner groups’ registrants to tell',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: Meeting, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => cancelMeeting(deps, actor(req), id(req), (req.body as { reason: string }).reason));

  app.post('/api/prefecture/supporter-meetings/:id/registrations', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Register a staff member: municipal staff for their municipality until the deadline; the centre on an invitee’s behalf, or a walk-in after the day. A full meeting answers 409',
      params: IdParams,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }), section: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), job: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))), inviteeId: Type.Optional(Uuid), walkIn: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 201: Meeting, ...errorResponses(400, 401, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await register(deps, actor(req), id(req), req.body as RegistrationInput)));

  app.delete('/api/prefecture/supporter-meetings/registrations/:id', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'Cancel a registration (municipal staff: their own municipality’s); the place is free again', params: IdParams, response: { 200: Meeting, ...errorResponses(400, 401, 404, 409) } },
  }, async (req) => cancelRegistration(deps, actor(req), id(req)));

  app.put('/api/prefecture/supporter-meetings/registrations/:id/attendance', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Mark a registrant attended or absent, on or after the day',
      params: IdParams,
      body: Type.Object({ attended: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Meeting, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => markAttendance(deps, actor(req), id(req), (req.body as { attended: boolean }).attended));
}
