import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../auth/service.ts';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { sensitive } from '../../http/sensitive.ts';
import type { Deps } from '../../lib/context.ts';
import { getConsultation, listConsultations, recordConsultation, routeConsultation, updateConsultation, URGENCIES, type ConsultationInput, type QueueQuery, type RouteInput } from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const OrgRef = Type.Object({ id: Uuid, name: Str });
const Code = Type.String({ minLength: 1, maxLength: 60 });
const Explanation = Type.Object({ condition: Str, ja: Str, en: Str });
const RuleTo = Type.Object({ organization: Type.Optional(Str), program: Type.Optional(Str), via: Type.Optional(Type.Array(Str)) });

const intakeFields = {
  channel: Code,
  consulterRelation: Code,
  consulterDetail: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
  ageBand: Type.Optional(Nullable(Type.Object({ min: Type.Integer({ minimum: 0, maximum: 130 }), max: Type.Integer({ minimum: 0, maximum: 130 }) }, { additionalProperties: false }))),
  schoolStage: Type.Optional(Nullable(Code)),
  areaId: Type.Optional(Nullable(Uuid)),
  issueTags: Type.Array(Code, { maxItems: 30, uniqueItems: true }),
  mainIssue: Type.Optional(Nullable(Code)),
  organizationsInvolved: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 50 }))),
  cannotVisit: Type.Optional(Nullable(Type.Boolean())),
  familyOnly: Type.Optional(Type.Boolean()),
  summary: Type.String({ minLength: 1, maxLength: 4000 }),
  urgency: Type.Union(URGENCIES.map((u) => Type.Literal(u))),
};

const NewConsultation = Type.Object(
  { receivedAt: Type.String({ format: 'date-time' }), doorOrganizationId: Type.Optional(Uuid), ...intakeFields },
  { additionalProperties: false },
);
const ConsultationPatch = Type.Object(
  { version: Type.Integer({ minimum: 1 }), ...Type.Partial(Type.Object(intakeFields)).properties },
  { additionalProperties: false, minProperties: 2 },
);

const ConsultationBody = {
  id: Uuid, reference: Str, receivedAt: Type.String({ format: 'date-time' }), door: OrgRef, channel: Str, consulterRelation: Str,
  consulterDetail: Nullable(Str), age: Nullable(Type.Integer()), ageBand: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  schoolStage: Nullable(Str), areaId: Nullable(Uuid), issueTags: Type.Array(Str, sensitive('codes')), mainIssue: Type.Union([Str, Type.Null()], sensitive('codes')),
  organizationsInvolved: Nullable(Type.Integer()), cannotVisit: Nullable(Type.Boolean()), familyOnly: Type.Boolean(), summary: Str,
  urgency: Str, source: Str, status: Type.Union([Type.Literal('triage'), Type.Literal('routed')]), holder: OrgRef,
  destination: Type.Object({ organization: Nullable(OrgRef), program: Nullable(OrgRef) }), caseId: Nullable(Uuid), version: Type.Integer(),
};
const ConsultationSummary = Type.Object(ConsultationBody, { $id: 'ConsultationSummary' });
const ConsultationDetail = Type.Object({
  ...ConsultationBody,
  reporter: Nullable(Type.Object({ receiptCode: Str, anonymous: Type.Boolean(), name: Nullable(Str), phone: Nullable(Str), email: Nullable(Str) })),
  steps: Type.Array(Type.Object({
    seq: Type.Integer(), kind: Str, from: Nullable(OrgRef), to: OrgRef, program: Nullable(OrgRef), reason: Nullable(Str), ruleKey: Nullable(Str),
    followedSuggestion: Nullable(Type.Boolean()), routingVersion: Nullable(Type.Integer()), at: Type.String({ format: 'date-time' }),
  })),
  routing: Type.Object({
    version: Type.Integer(),
    // a suggestion or an undecided rule that names a sensitive tag says the person has it
    suggestions: Type.Array(Type.Object({
      ruleKey: Str, reason: Str, reasonEn: Nullable(Str), matched: Type.Array(Explanation, sensitive('explanations')),
      destination: Type.Object({ organization: OrgRef, program: Nullable(OrgRef) }), via: Type.Array(OrgRef), nextHop: OrgRef, takesIn: Type.Boolean(),
    }), sensitive('explanations')),
    undecided: Type.Array(Type.Object({
      ruleKey: Str, priority: Type.Integer(), to: RuleTo, reason: Str, needs: Type.Array(Explanation, sensitive('explanations')), matched: Type.Array(Explanation, sensitive('explanations')),
    }), sensitive('explanations')),
    // a near miss that failed on a sensitive tag would say which tag was checked: left out as a whole
    nearMisses: Type.Array(Type.Object({ ruleKey: Str, priority: Type.Integer(), to: RuleTo, reason: Str, matched: Type.Array(Explanation, sensitive('explanations')), failed: Explanation }), sensitive('explanations')),
  }),
}, { $id: 'ConsultationDetail' });

export const intakeSchemas = [ConsultationSummary, ConsultationDetail];

const STAFF = roles('hub_coordinator', 'org_staff');

/** Consultations (相談受付): record, triage queues, routing decisions. */
export function intakeRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['intake'];

  app.post('/api/consultations', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record a consultation received at a door; it enters that organisation\'s triage queue', body: NewConsultation,
      response: { 201: Type.Ref('ConsultationDetail'), ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(await recordConsultation(deps, actorOf(req.session!, req), req.body as ConsultationInput)));

  app.get('/api/consultations', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'A triage queue or list of consultations, newest first (keyset pages)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('triage'), Type.Literal('routed')])),
        organizationId: Type.Optional(Type.Union([Uuid, Type.Literal('all')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('ConsultationSummary')), nextCursor: Nullable(Str) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listConsultations(deps, actorOf(req.session!, req), req.query as QueueQuery));

  app.get('/api/consultations/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One consultation with its trail and routing suggestions', params: IdParams, response: { 200: Type.Ref('ConsultationDetail'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getConsultation(deps, actorOf(req.session!, req), (req.params as { id: string }).id));

  app.patch('/api/consultations/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Correct or complete a consultation (send the version you read; a stale one answers 409)', params: IdParams, body: ConsultationPatch,
      response: { 200: Type.Ref('ConsultationDetail'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const { version, ...patch } = req.body as { version: number } & Partial<ConsultationInput>;
    return updateConsultation(deps, actorOf(req.session!, req), (req.params as { id: string }).id, version, patch);
  });

  app.post('/api/consultations/:id/route', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Follow a routing suggestion, or choose another destination with a reason', params: IdParams,
      body: Type.Object({
        version: Type.Integer({ minimum: 1 }),
        ruleKey: Type.Optional(Type.String({ maxLength: 80 })),
        organizationId: Type.Optional(Uuid),
        programId: Type.Optional(Uuid),
        reason: Type.Optional(Type.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('ConsultationDetail'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => routeConsultation(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as RouteInput));
}
