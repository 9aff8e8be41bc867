import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { sensitive } from '../../http/sensitive.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { SHARE_BASES } from '../network/vocabulary.ts';
import {
  caseEnrolments, END_DESTINATIONS, endOutreach, enrol, getEnrolment, getVisit, listEnrolments, listVisits, OUTREACH_STAGES, recordVisit, updatePlan,
  VISIT_MET, VISIT_PLACES, type EndInput, type EnrolInput, type VisitInput,
} from './outreach.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const DateOnly = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const OrgRef = Type.Object({ id: Uuid, name: Str });
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Enrolment = Type.Object({
  id: Uuid, program: OrgRef, caseId: Uuid, caseReference: Str, enrolledBy: OrgRef, enrolledOn: DateOnly, legalBasis: Str, consentId: Nullable(Uuid),
  plan: Type.Object({ intervalDays: Type.Integer(), nextVisitOn: Nullable(DateOnly) }),
  lastVisitOn: Nullable(DateOnly), dueBy: DateOnly, overdue: Type.Boolean(), daysSinceVisit: Type.Integer(),
  stage: Type.Optional({ ...Enum(OUTREACH_STAGES), ...sensitive(), description: "the person's stage (要配慮; only with full access and the grant)" }),
  ended: Nullable(Type.Object({ at: DateTime, destination: Enum(END_DESTINATIONS), note: Nullable(Str), referralId: Nullable(Uuid) })),
  version: Type.Integer(),
}, { $id: 'OutreachEnrolment' });

/** A visit record is 要配慮 as a whole: without the grant only its id, date and who recorded it remain. */
const Visit = Type.Object({
  id: Uuid, enrolmentId: Uuid, caseId: Uuid, visitedOn: DateOnly,
  visitors: Type.Optional({ ...Type.Array(Type.Object({ organization: OrgRef, profession: Str })), ...sensitive() }),
  durationMinutes: Type.Optional({ ...Type.Integer(), ...sensitive() }),
  place: Type.Optional({ ...Enum(VISIT_PLACES), ...sensitive() }),
  met: Type.Optional({ ...Enum(VISIT_MET), ...sensitive() }),
  whatHappened: Type.Optional({ ...Str, ...sensitive() }),
  stage: Type.Optional({ ...Enum(OUTREACH_STAGES), ...sensitive() }),
  nextVisitOn: Nullable(DateOnly), organization: OrgRef, recordedAt: DateTime,
}, { $id: 'OutreachVisit' });

const LegalBasisInput = Type.Object({
  basis: Enum(SHARE_BASES.map((b) => b.code)),
  consentId: Type.Optional(Uuid), meetingSessionId: Type.Optional(Uuid), meetingSeriesId: Type.Optional(Uuid), meetingDate: Type.Optional(DateOnly),
  paragraph: Type.Optional(Type.Union([Type.Literal(2), Type.Literal(3), Type.Literal(4)])), reason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false, description: 'what the enrolment rests on (as for a referral; a consent must name the commissioned station)' });

export const outreachSchemas = [Enrolment, Visit];
const STAFF = roles('hub_coordinator', 'org_staff');

/** Mental-health outreach (issue #11): enrolment, visit plan, visit records, the program queue, the end. */
export function outreachRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['outreach'];

  app.post('/api/programs/:id/enrolments', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Enrol a person on a case in an outreach program (an owning organisation or the hub)', params: IdParams,
      body: Type.Object({
        caseId: Uuid, legalBasis: LegalBasisInput, intervalDays: Type.Integer({ minimum: 1, maximum: 365 }), nextVisitOn: Type.Optional(Nullable(DateOnly)),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('OutreachEnrolment'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await enrol(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as EnrolInput)));

  app.get('/api/programs/:id/enrolments', {
    config: { access: STAFF },
    schema: {
      tags, summary: "The program's queue: enrolments, overdue first (organisations that run the program, the hub)", params: IdParams,
      querystring: Type.Object({ overdue: Type.Optional(Type.Boolean()), open: Type.Optional(Type.Boolean()), caseId: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('OutreachEnrolment')) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listEnrolments(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.query as { overdue?: boolean; open?: boolean; caseId?: string }) }));

  app.get('/api/programs/enrolments/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One outreach enrolment with its plan', params: IdParams, response: { 200: Type.Ref('OutreachEnrolment'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getEnrolment(deps, actorOf(req.session!, req), (req.params as { id: string }).id));

  app.get('/api/cases/:id/outreach-enrolments', {
    config: { access: STAFF },
    schema: { tags, summary: 'The outreach enrolments of a case', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('OutreachEnrolment')) }), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => ({ items: await caseEnrolments(deps, actorOf(req.session!, req), (req.params as { id: string }).id) }));

  app.post('/api/programs/enrolments/:id/plan', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Change the visit plan (interval, next visit)', params: IdParams,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), intervalDays: Type.Integer({ minimum: 1, maximum: 365 }), nextVisitOn: Type.Optional(Nullable(DateOnly)) }, { additionalProperties: false }),
      response: { 200: Type.Ref('OutreachEnrolment'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updatePlan(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as { version: number; intervalDays: number; nextVisitOn?: string | null }));

  app.post('/api/programs/enrolments/:id/end', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'End outreach: where the person went, and a referral where it hands over', params: IdParams,
      body: Type.Object({
        version: Type.Integer({ minimum: 1 }), destination: Enum(END_DESTINATIONS), note: Type.Optional(Type.String({ maxLength: 1000 })),
        referral: Type.Optional(Type.Object({
          toOrganizationId: Type.Optional(Uuid), toProgramId: Type.Optional(Uuid),
          reason: Type.String({ minLength: 1, maxLength: 1000 }), sharedSummary: Type.String({ minLength: 1, maxLength: 4000 }),
          urgency: Enum(['normal', 'urgent', 'emergency']), firstContactDue: DateOnly, legalBasis: LegalBasisInput,
        }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('OutreachEnrolment'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => endOutreach(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as EndInput));

  app.post('/api/outreach-visits', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record an outreach visit (a contact record of the case; 要配慮)',
      body: Type.Object({
        enrolmentId: Uuid, visitedOn: DateOnly,
        visitors: Type.Array(Type.Object({ organizationId: Uuid, profession: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
        durationMinutes: Type.Integer({ minimum: 0, maximum: 1440 }), place: Enum(VISIT_PLACES), met: Enum(VISIT_MET),
        whatHappened: Type.String({ minLength: 1, maxLength: 4000 }), stage: Enum(OUTREACH_STAGES), nextVisitOn: Type.Optional(Nullable(DateOnly)),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('OutreachVisit'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await recordVisit(deps, actorOf(req.session!, req), req.body as VisitInput)));

  app.get('/api/outreach-visits', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Visits of a case or an enrolment, oldest first',
      querystring: Type.Object({ caseId: Type.Optional(Uuid), enrolmentId: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('OutreachVisit')) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listVisits(deps, actorOf(req.session!, req), req.query as { caseId?: string; enrolmentId?: string }) }));

  app.get('/api/outreach-visits/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One outreach visit', params: IdParams, response: { 200: Type.Ref('OutreachVisit'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getVisit(deps, actorOf(req.session!, req), (req.params as { id: string }).id));
}
