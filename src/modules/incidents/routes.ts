import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery, type PageParams } from '../../lib/pagination.ts';
import { actorOf } from '../auth/service.ts';
import {
  addAffectedPersons, createIncident, getIncident, INCIDENT_STATUSES, listIncidents, recordIncidentAction, recordIncidentReport, recordNotification,
  removeAffectedPerson, updateIncident, type AffectedPersonsInput, type IncidentInput, type IncidentStatus, type ReportKind,
} from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const Deadline = Type.Object({
  kind: Enum(['preliminary', 'final']), target: Type.Boolean(), from: Nullable(Type.String()), due: Type.String(), reportedOn: Nullable(Type.String()),
  daysLeft: Nullable(Type.Integer()), overdue: Type.Boolean(),
});
const SummaryFields = {
  id: Uuid, reference: Type.String(), title: Type.String(), discoveredAt: DateTime, status: Enum(INCIDENT_STATUSES), sensitiveData: Type.Boolean(),
  financialHarmRisk: Type.Boolean(), unauthorizedPurpose: Type.Boolean(), personsCount: Nullable(Type.Integer()), identifiedPersons: Type.Integer(),
  deadlines: Type.Object({ reportable: Type.Boolean(), grounds: Type.Array(Type.String()), deadlines: Type.Array(Deadline) }),
  version: Type.Integer(),
};
const Summary = Type.Object(SummaryFields);
const Detail = Type.Object({
  ...SummaryFields,
  occurredFrom: Nullable(DateTime), occurredTo: Nullable(DateTime), description: Type.String(), dataKinds: Type.Array(Type.String()),
  closedAt: Nullable(DateTime), createdAt: DateTime,
  persons: Type.Array(Type.Object({
    personId: Uuid, name: Nullable(Type.String()), nameKana: Nullable(Type.String()), held: Type.Boolean(), source: Enum(['manual', 'access_query']),
    addedAt: DateTime, notifiedOn: Nullable(Type.String()), notificationMethod: Nullable(Type.String()),
  })),
  reports: Type.Array(Type.Object({ seq: Type.Integer(), kind: Enum(['preliminary', 'final']), reportedOn: Type.String(), note: Nullable(Type.String()), recordedAt: DateTime })),
  actions: Type.Array(Type.Object({ seq: Type.Integer(), takenAt: DateTime, description: Type.String(), recordedAt: DateTime })),
});

const InputFields = {
  title: Text(200), discoveredAt: DateTime, occurredFrom: Type.Optional(Nullable(DateTime)), occurredTo: Type.Optional(Nullable(DateTime)),
  description: Text(4000), dataKinds: Type.Array(Text(100), { maxItems: 50 }), sensitiveData: Type.Boolean(), financialHarmRisk: Type.Optional(Type.Boolean()),
  unauthorizedPurpose: Type.Boolean(), personsCount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
};

/** The incident register: the privacy officer keeps it, auditors read it. */
export function incidentRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['incidents'];
  const READERS = roles('privacy_officer', 'auditor');
  const OFFICER = roles('privacy_officer');
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  app.get('/api/incidents', {
    config: { access: READERS },
    schema: {
      tags, summary: 'The incident register, newest discovery first, a page at a time, with each incident’s reporting deadlines as of today',
      querystring: Type.Object({ status: Type.Optional(Enum(INCIDENT_STATUSES)), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Summary), nextCursor: NextCursor }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listIncidents(deps, actorOf(req.session!, req), req.query as { status?: IncidentStatus } & PageParams));

  app.post('/api/incidents', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Register an incident (漏えい等); the privacy officers are alerted',
      body: Type.Object(InputFields, { additionalProperties: false }),
      response: { 201: Detail, ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(await createIncident(deps, actorOf(req.session!, req), req.body as IncidentInput)));

  app.get('/api/incidents/:id', {
    config: { access: READERS },
    schema: { tags, summary: 'One incident with its persons, reports, actions and deadlines', params: IdParams, response: { 200: Detail, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getIncident(deps, actorOf(req.session!, req), idOf(req)));

  app.patch('/api/incidents/:id', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Change what is known of an incident, or its status', params: IdParams,
      body: Type.Object({
        version: Type.Integer(), status: Type.Optional(Enum(INCIDENT_STATUSES)),
        ...Object.fromEntries(Object.entries(InputFields).map(([k, v]) => [k, Type.Optional(v)])),
      }, { additionalProperties: false }),
      response: { 200: Detail, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateIncident(deps, actorOf(req.session!, req), idOf(req), req.body as { version: number; status?: IncidentStatus } & Partial<IncidentInput>));

  app.post('/api/incidents/:id/reports', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Record a report to the 個人情報保護委員会 (速報 or 確報)', params: IdParams,
      body: Type.Object({ kind: Enum(['preliminary', 'final']), reportedOn: DateStr, note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 201: Detail, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordIncidentReport(deps, actorOf(req.session!, req), idOf(req), req.body as { kind: ReportKind; reportedOn: string; note?: string })));

  app.post('/api/incidents/:id/actions', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Record an action taken about the incident', params: IdParams,
      body: Type.Object({ takenAt: DateTime, description: Text(4000) }, { additionalProperties: false }),
      response: { 201: Detail, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordIncidentAction(deps, actorOf(req.session!, req), idOf(req), req.body as { takenAt: string; description: string })));

  app.post('/api/incidents/:id/persons', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Add affected persons: by id, or everyone whose records an account accessed in a time window', params: IdParams,
      body: Type.Union([
        Type.Object({ personIds: Type.Array(Uuid, { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false }),
        Type.Object({ accessedBy: Type.Object({ userId: Uuid, from: DateTime, to: DateTime }, { additionalProperties: false }) }, { additionalProperties: false }),
      ]),
      response: { 201: Type.Object({ ...Detail.properties, added: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await addAffectedPersons(deps, actorOf(req.session!, req), idOf(req), req.body as AffectedPersonsInput)));

  app.delete('/api/incidents/:id/persons/:personId', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Take a person off an incident', params: Type.Object({ id: Uuid, personId: Uuid }, { additionalProperties: false }),
      response: { 200: Detail, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => removeAffectedPerson(deps, actorOf(req.session!, req), idOf(req), (req.params as { personId: string }).personId));

  app.post('/api/incidents/:id/notifications', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Record that persons were notified (本人通知)', params: IdParams,
      body: Type.Object({ personIds: Type.Array(Uuid, { minItems: 1, maxItems: 10_000 }), notifiedOn: DateStr, method: Text(200) }, { additionalProperties: false }),
      response: { 201: Detail, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordNotification(deps, actorOf(req.session!, req), idOf(req), req.body as { personIds: string[]; notifiedOn: string; method: string })));
}
