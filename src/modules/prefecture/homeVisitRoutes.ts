import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { sensitive } from '../../http/sensitive.ts';
import { toJapanese } from '../../i18n/messages.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery, type PageParams } from '../../lib/pagination.ts';
import { actorOf } from '../auth/service.ts';
import {
  acceptApplication, checkEligibility, CONSENT_BY, CONSENT_FIELDS, CONSENT_METHODS, createApplication, ELIGIBILITY_RULES, getCentreApplication, getWindowApplication,
  handBack, handBackTargets, listCentreApplications, listWindowApplications, recordVisit, STATUSES,
  type ApplicationInput, type Eligibility as EligibilityResult, type HandBackInput, type Status, type VisitInput, type WindowApplication as WindowApplicationResult,
} from './homeVisits.ts';

/** The reasons an application fails are answers, not errors: given in Japanese when the client asks, as errors are. */
const inLanguage = (req: FastifyRequest, e: EligibilityResult): EligibilityResult =>
  /^ja\b/i.test(String(req.headers['accept-language'] ?? '')) ? { ...e, reasons: e.reasons.map((r) => ({ ...r, message: toJapanese(r.message) })) } : e;
const windowInLanguage = (req: FastifyRequest, a: WindowApplicationResult): WindowApplicationResult => ({ ...a, eligibility: inLanguage(req, a.eligibility) });

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const MunicipalityRef = Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) });
const OrgRef = Type.Object({ id: Uuid, name: Type.String() });

const Facts = {
  age: Type.Integer({ minimum: 0, maximum: 129 }),
  pastCompulsorySchooling: Type.Boolean(),
  livesInMunicipality: Type.Boolean({ description: 'the person lives in this municipality' }),
  monthsWithdrawn: Type.Integer({ minimum: 0, maximum: 1200 }),
};
const Consent = Type.Object({
  by: Enum(CONSENT_BY), relation: Type.Optional(Nullable(Type.String({ maxLength: 50 }))), on: DateStr, method: Enum(CONSENT_METHODS),
  fields: Type.Array(Enum(CONSENT_FIELDS), { maxItems: CONSENT_FIELDS.length, description: 'the person’s fields the consent lets pass to the centre' }),
}, { additionalProperties: false });
const ApplicationBody = Type.Object({
  caseId: Type.Optional(Nullable(Uuid)),
  personName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  contact: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  situation: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  ...Facts,
  consent: Consent,
}, { additionalProperties: false });

const ConsentOut = Type.Object({ by: Enum(CONSENT_BY), relation: Nullable(Type.String()), on: Type.String(), method: Enum(CONSENT_METHODS), fields: Type.Array(Enum(CONSENT_FIELDS)) });
const Eligibility = Type.Object({
  eligible: Type.Boolean(),
  reasons: Type.Array(Type.Object({ rule: Enum(ELIGIBILITY_RULES), message: Type.String() })),
  alternatives: Type.Array(Type.String()),
  visitsPerPerson: Nullable(Type.Integer()),
});
const HandBack = Nullable(Type.Object({
  kind: Enum(['referral', 'consultation']), organization: OrgRef, referralId: Nullable(Uuid), consultationId: Nullable(Uuid), note: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
}));
const WindowApplication = Type.Object({
  id: Uuid, municipality: MunicipalityRef, caseId: Nullable(Uuid), personName: Nullable(Type.String()), age: Type.Integer(), contact: Nullable(Type.String()),
  situation: Type.Optional(Nullable(Type.String(sensitive()))),
  pastCompulsorySchooling: Type.Boolean(), livesInMunicipality: Type.Boolean(), monthsWithdrawn: Type.Integer(), consent: ConsentOut, eligibility: Eligibility,
  status: Enum(STATUSES), legalBasis: Nullable(Type.Literal('consent')), visitCount: Type.Integer(), handBack: HandBack, createdAt: Type.String({ format: 'date-time' }),
});
const HomeVisit = Type.Object({
  id: Uuid, visitedOn: Type.String(), visitors: Type.Array(Type.String()), place: Type.String(), met: Type.String(),
  whatHappened: Type.Optional(Type.String(sensitive())), recordedAt: Type.String({ format: 'date-time' }),
});
const CentreApplication = Type.Object({
  id: Uuid, municipality: MunicipalityRef, fromCase: Type.Boolean(),
  person: Type.Object({
    name: Type.Optional(Type.String()), age: Type.Optional(Type.Integer()), contact: Type.Optional(Type.String()),
    situation: Type.Optional(Type.String(sensitive())),
  }, { description: 'only the fields the consent covers; the others are absent' }),
  pastCompulsorySchooling: Type.Boolean(), monthsWithdrawn: Type.Integer(), consent: ConsentOut, legalBasis: Type.Literal('consent'),
  status: Enum(STATUSES.filter((s) => s !== 'not_passed')), visits: Type.Array(HomeVisit), handBack: HandBack,
  passedAt: Type.String({ format: 'date-time' }), acceptedAt: Nullable(Type.String({ format: 'date-time' })),
});

/**
 * 訪問相談. The window (municipal window staff, the hub) records applications
 * and sees their outcome under /api/prefecture/home-visit-applications; the
 * centre works them under /api/prefecture/home-visit-applications/centre.
 */
export function homeVisitRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['prefecture'];
  const WINDOW = roles('municipal_window', 'hub_coordinator');
  const CENTRE = roles('prefecture_staff');
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const base = '/api/prefecture/home-visit-applications';
  const centreBase = `${base}/centre`;

  app.post(`${base}/eligibility`, {
    config: { access: WINDOW },
    schema: {
      tags, summary: 'Checks a person against the centre’s home-visit rules before applying: each failed rule and the alternatives',
      body: Type.Object(Facts, { additionalProperties: false }), response: { 200: Eligibility, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => inLanguage(req, await checkEligibility(deps.db, actor(req), req.body as ApplicationInput)));

  app.post(base, {
    config: { access: WINDOW },
    schema: {
      tags, summary: 'Records a home-visit application with the consent; an eligible one passes to the centre with only the fields the consent covers, an ineligible one is kept as not passed',
      body: ApplicationBody, response: { 201: WindowApplication, ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(windowInLanguage(req, await createApplication(deps, actor(req), req.body as ApplicationInput))));

  app.get(base, {
    config: { access: WINDOW },
    schema: {
      tags, summary: 'The window’s home-visit applications and their outcomes, a page at a time, latest first',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(WindowApplication), nextCursor: NextCursor }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const page = await listWindowApplications(deps, actor(req), req.query as PageParams);
    return { ...page, items: page.items.map((a) => windowInLanguage(req, a)) };
  });

  app.get(`${base}/:id`, {
    config: { access: WINDOW },
    schema: { tags, summary: 'One application as the window recorded it, with its status and hand-back', params: IdParams, response: { 200: WindowApplication, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => windowInLanguage(req, await getWindowApplication(deps, actor(req), (req.params as { id: string }).id)));

  app.get(centreBase, {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Applications passed to the centre, a page at a time, latest passed first (only what each consent covers)',
      querystring: Type.Object({ status: Type.Optional(Enum(STATUSES.filter((s) => s !== 'not_passed'))), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(CentreApplication), nextCursor: NextCursor }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listCentreApplications(deps, actor(req), req.query as { status?: Status } & PageParams));

  app.get(`${centreBase}/:id`, {
    config: { access: CENTRE },
    schema: { tags, summary: 'One application at the centre, with its visits', params: IdParams, response: { 200: CentreApplication, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getCentreApplication(deps, actor(req), (req.params as { id: string }).id));

  app.post(`${centreBase}/:id/accept`, {
    config: { access: CENTRE },
    schema: { tags, summary: 'The centre accepts an application', params: IdParams, response: { 200: CentreApplication, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => acceptApplication(deps, actor(req), (req.params as { id: string }).id));

  app.post(`${centreBase}/:id/visits`, {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Records one of the centre’s home visits', params: IdParams,
      body: Type.Object({
        visitedOn: DateStr, visitors: Type.Array(Text(100), { minItems: 1, maxItems: 10 }), place: Text(200), met: Text(200), whatHappened: Text(4000),
      }, { additionalProperties: false }),
      response: { 201: CentreApplication, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordVisit(deps, actor(req), (req.params as { id: string }).id, req.body as VisitInput)));

  app.get(`${centreBase}/:id/hand-back-targets`, {
    config: { access: CENTRE },
    schema: { tags, summary: 'The local organisations of the person’s municipality', params: IdParams, response: { 200: Type.Object({ items: Type.Array(OrgRef) }), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => ({ items: await handBackTargets(deps, actor(req), (req.params as { id: string }).id) }));

  app.post(`${centreBase}/:id/hand-back`, {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Ends the centre’s part: a referral on the case, or a consultation at a local organisation of the person’s municipality', params: IdParams,
      body: Type.Object({ toOrganizationId: Uuid, note: Text(2000), firstContactDue: Type.Optional(DateStr) }, { additionalProperties: false }),
      response: { 200: CentreApplication, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => handBack(deps, actor(req), (req.params as { id: string }).id, req.body as HandBackInput));
}
