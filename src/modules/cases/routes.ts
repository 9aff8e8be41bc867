import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { sensitive } from '../../http/sensitive.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import {
  addAssessment, addContactRecord, caseTimeline, CASE_STATUSES, changeCaseStatus, CONSENT_METHODS, CONTACT_KINDS, createPlan, findDuplicates, getCase,
  getPerson, LIFE_AREAS, SENSITIVE_LIFE_AREAS, listAssessments, listCases, listContactRecords, listPlans, mergePersons, openCase, recordConsent, searchPersons, updatePerson,
  withdrawConsent, type AssessmentInput, type CaseQuery, type CaseStatus, type ConsentInput, type ContactRecordInput, type OpenCaseInput, type PersonInput, type PlanInput,
} from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const OrgRef = Type.Object({ id: Uuid, name: Str });
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const AgeBand = Type.Object({ min: Type.Integer({ minimum: 0, maximum: 130 }), max: Type.Integer({ minimum: 0, maximum: 130 }) }, { additionalProperties: false });

const PersonFields = {
  name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  nameKana: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  birthDate: Type.Optional(Nullable(DateStr)),
  ageBand: Type.Optional(Nullable(AgeBand)),
  gender: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200, format: 'email' }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  areaId: Type.Optional(Nullable(Uuid)),
};
const PersonInputSchema = Type.Object(PersonFields, { additionalProperties: false });
const Person = Type.Object({
  id: Uuid, name: Nullable(Str), nameKana: Nullable(Str), birthDate: Nullable(Str), ageBand: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  gender: Nullable(Str), phone: Nullable(Str), email: Nullable(Str), address: Nullable(Str), areaId: Nullable(Uuid), mergedIntoId: Nullable(Uuid), version: Type.Integer(),
}, { $id: 'Person' });

const PersonHeader = Nullable(Type.Object({ id: Uuid, name: Nullable(Str), nameKana: Nullable(Str), birthDate: Nullable(Str), ageBand: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })) }));
const SummaryFields = {
  id: Uuid, reference: Str, status: Str, complex: Type.Boolean(), lead: OrgRef, openedAt: DateTime, closedAt: Nullable(DateTime), lastContactAt: Nullable(DateTime),
  access: Enum(['full', 'meeting', 'referral']), person: PersonHeader, version: Type.Integer(),
};
const CaseSummary = Type.Object(SummaryFields, { $id: 'CaseSummary' });
const Consent = Type.Object({
  id: Uuid, personId: Uuid, givenOn: Str, scope: Str, method: Str, organizations: Type.Array(OrgRef), recordedAt: DateTime, withdrawnAt: Nullable(DateTime), withdrawalNote: Nullable(Str),
}, { $id: 'Consent' });
const CaseDetail = Type.Object({
  ...SummaryFields,
  closureReason: Nullable(Str),
  participants: Type.Array(Type.Object({ organization: OrgRef, role: Str, since: DateTime })),
  household: Nullable(Type.Object({ id: Uuid, label: Nullable(Str), members: Type.Array(Type.Object({ person: Type.Ref('Person'), relation: Str })) })),
  consultations: Type.Array(Type.Object({ id: Uuid, reference: Str, receivedAt: DateTime, summary: Str })),
  consents: Type.Array(Type.Ref('Consent')),
  meeting: Type.Optional(Nullable(Type.Object({ sessionId: Uuid, seriesName: Str, date: Str }, { description: 'with access meeting: the 支援会議 session the case is read through' }))),
}, { $id: 'CaseDetail' });

export const caseSchemas = [Person, CaseSummary, Consent, CaseDetail];

const STAFF = roles('hub_coordinator', 'org_staff');
const CaseParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Persons, households and cases, with their records. A case the user may not see answers 404. */
export function caseRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['cases'];
  const actor = (req: { session: unknown; id: string; ip: string }) => actorOf((req as { session: Parameters<typeof actorOf>[0] }).session, req);
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;

  app.get('/api/persons', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Search persons by name or reading (kanji or kana, any width); only persons you may see',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Person')) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query as { q: string; limit?: number };
    return { items: await searchPersons(deps, actor(req), q.q, q.limit) };
  });

  app.post('/api/persons/duplicates', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Known persons who may be the one a new consultation concerns', body: PersonInputSchema,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ person: Type.Ref('Person'), matches: Type.Array(Str) })) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => ({ items: await findDuplicates(deps, actor(req), req.body as PersonInput) }));

  app.get('/api/persons/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One person', params: IdParams, response: { 200: Type.Ref('Person'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getPerson(deps, actor(req), id(req)));

  app.patch('/api/persons/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: "Correct a person's details (version-checked)", params: IdParams,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), ...PersonFields }, { additionalProperties: false, minProperties: 2 }),
      response: { 200: Type.Ref('Person'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const { version, ...patch } = req.body as { version: number } & PersonInput;
    return updatePerson(deps, actor(req), id(req), version, patch);
  });

  app.post('/api/persons/:id/merge', {
    config: { access: roles('hub_coordinator') },
    schema: {
      tags, summary: 'Merge a duplicate into this person, keeping every record', params: IdParams,
      body: Type.Object({ duplicateId: Uuid }, { additionalProperties: false }),
      response: { 200: Type.Ref('Person'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => mergePersons(deps, actor(req), id(req), (req.body as { duplicateId: string }).duplicateId));

  app.post('/api/cases', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Open a support case for a person, from one or more consultations',
      body: Type.Object({
        personId: Type.Optional(Uuid),
        person: Type.Optional(PersonInputSchema),
        consultationIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
        leadOrganizationId: Type.Optional(Uuid),
        complex: Type.Optional(Type.Boolean()),
        household: Type.Optional(Type.Object({
          label: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          members: Type.Array(Type.Object({ personId: Type.Optional(Uuid), person: Type.Optional(PersonInputSchema), relation: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false }), { maxItems: 20 }),
        }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('CaseDetail'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await openCase(deps, actor(req), req.body as OpenCaseInput)));

  app.get('/api/cases', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Cases you may see, newest first (keyset pages); names only where you see the whole case',
      querystring: Type.Object({
        scope: Type.Optional(Enum(['mine', 'all'])), status: Type.Optional(Enum([...CASE_STATUSES, 'open'])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('CaseSummary')), nextCursor: Nullable(Str) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listCases(deps, actor(req), req.query as CaseQuery));

  app.get('/api/cases/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One case, as far as you may see it', params: CaseParams, response: { 200: Type.Ref('CaseDetail'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getCase(deps, actor(req), id(req)));

  app.post('/api/cases/:id/status', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Move the case along (受付 → アセスメント → 支援中 → モニタリング → 終結, or reopen)', params: CaseParams,
      body: Type.Object({
        version: Type.Integer({ minimum: 1 }), status: Enum(CASE_STATUSES),
        reason: Type.Optional(Type.String({ maxLength: 500 })), closureReason: Type.Optional(Type.String({ maxLength: 500 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CaseDetail'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => changeCaseStatus(deps, actor(req), id(req), req.body as { version: number; status: CaseStatus; reason?: string; closureReason?: string }));

  app.get('/api/cases/:id/timeline', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Everything that happened on the case, newest first', params: CaseParams,
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ at: DateTime, kind: Str, organization: Nullable(OrgRef), summary: Str, entityType: Nullable(Str), entityId: Nullable(Str) })) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => ({ items: await caseTimeline(deps, actor(req), id(req)) }));

  const ContactRecord = Type.Object({
    id: Uuid, occurredAt: DateTime, kind: Str, notes: Str, nextStep: Type.Optional(Nullable(Str)), organization: OrgRef, staffName: Str, createdAt: DateTime,
  });
  app.get('/api/cases/:id/contact-records', {
    config: { access: STAFF },
    schema: { tags, summary: 'Contact records (支援記録), newest first', params: CaseParams, response: { 200: Type.Object({ items: Type.Array(ContactRecord) }), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => ({ items: await listContactRecords(deps, actor(req), id(req)) }));

  app.post('/api/cases/:id/contact-records', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record a contact: phone, interview, home visit, accompaniment, meeting', params: CaseParams,
      body: Type.Object({
        occurredAt: DateTime, kind: Enum(CONTACT_KINDS), notes: Type.String({ minLength: 1, maxLength: 8000 }), nextStep: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
      }, { additionalProperties: false }),
      response: { 201: ContactRecord, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await addContactRecord(deps, actor(req), id(req), req.body as ContactRecordInput)));

  const Area = Type.Object({ situation: Type.String({ maxLength: 2000 }), needsSupport: Type.Boolean() }, { additionalProperties: false });
  app.post('/api/cases/:id/assessments', {
    config: { access: STAFF },
    schema: {
      tags, summary: "Record an assessment of the person's situation across life areas", params: CaseParams,
      body: Type.Object({
        assessedOn: DateStr,
        areas: Type.Object(Object.fromEntries(LIFE_AREAS.map((a) => [a, Type.Optional(Area)])), { additionalProperties: false, minProperties: 1 }),
        summary: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Uuid }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await addAssessment(deps, actor(req), id(req), req.body as AssessmentInput)));

  app.get('/api/cases/:id/assessments', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Assessments, newest first', params: CaseParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, assessedOn: Str, organization: OrgRef, areas: Type.Record(Str, Area, sensitive({ keys: SENSITIVE_LIFE_AREAS })), summary: Nullable(Str), createdAt: DateTime })) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listAssessments(deps, actor(req), id(req)) }));

  const Goal = Type.Object({ kind: Enum(['long', 'short']), text: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
  app.post('/api/cases/:id/plans', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Make a support plan (プラン), or a new version of it (再プラン)', params: CaseParams,
      body: Type.Object({
        goals: Type.Array(Goal, { minItems: 1, maxItems: 20 }),
        actions: Type.Array(Type.Object({
          description: Type.String({ minLength: 1, maxLength: 1000 }), organizationId: Uuid, programId: Type.Optional(Nullable(Uuid)), dueDate: Type.Optional(Nullable(DateStr)),
        }, { additionalProperties: false }), { maxItems: 50 }),
        reviewDate: DateStr, personAgreed: Type.Boolean(), agreedOn: Type.Optional(Nullable(DateStr)),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Uuid, planNo: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await createPlan(deps, actor(req), id(req), req.body as PlanInput)));

  app.get('/api/cases/:id/plans', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Support plans, newest version first', params: CaseParams,
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          id: Uuid, planNo: Type.Integer(), goals: Type.Array(Goal), reviewDate: Str, personAgreed: Type.Boolean(), agreedOn: Nullable(Str), createdAt: DateTime,
          confirmedOn: Nullable(Str), confirmedIn: Nullable(Str),
          actions: Type.Array(Type.Object({ seq: Type.Integer(), description: Str, organization: OrgRef, programId: Nullable(Uuid), dueDate: Nullable(Str), status: Str })),
        })) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => ({ items: await listPlans(deps, actor(req), id(req)) }));

  app.post('/api/cases/:id/consents', {
    config: { access: STAFF },
    schema: {
      tags, summary: "Record the person's consent to share with named organisations", params: CaseParams,
      body: Type.Object({
        givenOn: DateStr, scope: Type.String({ minLength: 1, maxLength: 1000 }), method: Enum(CONSENT_METHODS),
        organizationIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Consent'), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordConsent(deps, actor(req), id(req), req.body as ConsentInput)));

  app.post('/api/cases/:id/consents/:consentId/withdraw', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Withdraw a consent: organisations that relied on it lose access now',
      params: Type.Object({ id: Uuid, consentId: Uuid }, { additionalProperties: false }),
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Consent'), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const p = req.params as { id: string; consentId: string };
    return withdrawConsent(deps, actor(req), p.id, p.consentId, (req.body as { note: string }).note);
  });
}
