import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Config } from '../../config.ts';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery } from '../../lib/pagination.ts';
import { requireRecentSecondFactor } from '../auth/mfa.ts';
import { actorOf } from '../auth/service.ts';
import { GROUND_CODES, GROUNDS } from './package.ts';
import { fileRegister } from './register.ts';
import { ALL_DECISIONS, Change, REQUEST_KINDS, REQUESTER_RELATIONS } from './schemas.ts';
import {
  applyCorrection, decideRequest, disclosurePackage, extendRequest, findPersons, findUnlinkedRecords, getRequest, liftSuspension, listRequests, personCorrections,
  registerRequest, releasePackage, setRedaction, type DecideInput, type RedactionInput, type RegisterInput, type RequestQuery,
} from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Version = Type.Integer({ minimum: 1 });

const OFFICER = roles('privacy_officer');

/**
 * The person's rights for the privacy officer (保護管理者): requests, their
 * deadlines and decisions, corrections, suspensions of use, the disclosure
 * package and its release, and the 個人情報ファイル簿. Reading or releasing a
 * package asks for the second factor again (step-up).
 */
export function privacyRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const tags = ['privacy'];
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;
  const stepUp = (req: FastifyRequest) => requireRecentSecondFactor(req.session!, deps.clock.now(), config.auth.stepUpMinutes);
  const detail = { 200: Type.Ref('PrivacyRequestDetail'), ...errorResponses(400, 401, 403, 404, 409) };

  app.get('/api/privacy/persons', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Find the person a request concerns, by name or reading (kanji or kana, any width); and records linked to no person record that match the name or contact',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Ref('PrivacyPersonSummary')),
          unlinked: Type.Array(Type.Object({
            kind: Type.Literal('home_visit_application'), id: Uuid, recordedAt: Type.String({ format: 'date-time' }),
            organization: Type.Object({ id: Uuid, name: Type.String() }), match: Type.Union([Type.Literal('name'), Type.Literal('contact')]),
          }), { description: 'records linked to no person record that name someone with this name or contact (where and when each was recorded, nothing of the person)' }),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => {
    const q = (req.query as { q: string }).q;
    return { items: await findPersons(deps, actor(req), q), unlinked: await findUnlinkedRecords(deps, actor(req), q) };
  });

  app.get('/api/persons/:id/corrections', {
    config: { access: roles('privacy_officer', 'hub_coordinator', 'org_staff') },
    schema: {
      tags, summary: 'Corrections made to a person’s details (訂正の履歴), with the earlier values', params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('PersonCorrection')) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await personCorrections(deps, actor(req), id(req)) }));

  app.get('/api/privacy/requests', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Requests for disclosure, correction and suspension of use, with their deadlines: open ones by deadline, then decided ones newest first, a page at a time',
      querystring: Type.Object({ status: Type.Optional(Enum(['open', 'decided', 'all'])), kind: Type.Optional(Enum(REQUEST_KINDS)), ...PageQuery }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('PrivacyRequestSummary')), nextCursor: NextCursor, total: Type.Integer({ description: 'requests on every page' }) }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => listRequests(deps, actor(req), req.query as RequestQuery));

  app.post('/api/privacy/requests', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Register a request as received; its deadline is 30 days after the day received',
      body: Type.Object({
        kind: Enum(REQUEST_KINDS), personId: Uuid, receivedOn: DateStr, requesterRelation: Enum(REQUESTER_RELATIONS),
        requesterName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        identityVerification: Text(300), content: Text(4000),
        requestedChanges: Type.Optional(Type.Array(Change, { maxItems: 7 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('PrivacyRequestDetail'), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await registerRequest(deps, actor(req), req.body as RegisterInput)));

  app.get('/api/privacy/requests/:id', {
    config: { access: OFFICER },
    schema: { tags, summary: 'One request with its person, decisions, corrections, suspensions and releases', params: IdParams, response: detail },
  }, async (req) => getRequest(deps, actor(req), id(req)));

  app.post('/api/privacy/requests/:id/extend', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Extend the deadline once by 30 days, before it passes, with the reason', params: IdParams,
      body: Type.Object({ version: Version, reason: Text(1000), extendedOn: Type.Optional(DateStr) }, { additionalProperties: false }),
      response: detail,
    },
  }, async (req) => extendRequest(deps, actor(req), id(req), req.body as { version: number; reason: string; extendedOn?: string }));

  app.post('/api/privacy/requests/:id/decide', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Record the decision: full/partial/none (disclosure), correct/not_correct, suspend/not_suspend; refusals need the reason', params: IdParams,
      body: Type.Object({
        version: Version, decision: Enum(ALL_DECISIONS), decidedOn: Type.Optional(DateStr), reason: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
        changes: Type.Optional(Type.Array(Change, { maxItems: 7 })),
      }, { additionalProperties: false }),
      response: detail,
    },
  }, async (req) => decideRequest(deps, actor(req), id(req), req.body as DecideInput));

  app.post('/api/privacy/requests/:id/apply-correction', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Carry out a decision to correct: the person’s details change and the earlier values are kept', params: IdParams,
      body: Type.Object({ version: Version }, { additionalProperties: false }), response: detail,
    },
  }, async (req) => applyCorrection(deps, actor(req), id(req), req.body as { version: number }));

  app.post('/api/privacy/suspensions/:id/lift', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Lift a suspension of use (利用停止の解除), with its reason', params: IdParams,
      body: Type.Object({ reason: Text(1000), liftedOn: Type.Optional(DateStr) }, { additionalProperties: false }), response: detail,
    },
  }, async (req) => liftSuspension(deps, actor(req), id(req), req.body as { reason: string; liftedOn?: string }));

  app.get('/api/privacy/requests/:id/disclosure-package', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Everything held about the person, with redactions applied; asks for the second factor again; audited as an export', params: IdParams,
      response: { 200: Type.Ref('DisclosurePackage'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    stepUp(req);
    return disclosurePackage(deps, actor(req), id(req));
  });

  app.put('/api/privacy/requests/:id/redactions', {
    config: { access: OFFICER },
    schema: {
      tags, summary: `Withhold or release one item of the package, with the reason; withholding needs its ground (${GROUND_CODES.join(', ')})`, params: IdParams,
      body: Type.Object({
        key: Type.String({ minLength: 1, maxLength: 200 }), redacted: Type.Boolean(), ground: Type.Optional(Enum(GROUND_CODES)), reason: Text(1000),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('RedactionDecision'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    stepUp(req);
    return setRedaction(deps, actor(req), id(req), req.body as RedactionInput);
  });

  app.post('/api/privacy/requests/:id/release', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Release the package: records when, by whom, its digest and redactions (not the data); asks for the second factor again', params: IdParams,
      response: { 200: Type.Object({ release: Type.Ref('DisclosureRelease'), package: Type.Ref('DisclosurePackage') }), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    stepUp(req);
    return releasePackage(deps, actor(req), id(req));
  });

  app.get('/api/privacy/grounds', {
    config: { access: OFFICER },
    schema: {
      tags, summary: 'Grounds for withholding (不開示情報) the officer can choose',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })) }), ...errorResponses(401, 403) },
    },
  }, async () => ({ items: GROUND_CODES.map((code) => ({ code, text: GROUNDS[code] })) }));

  const Org = Type.Object({ id: Uuid, name: Type.String(), kind: Type.String() });
  app.get('/api/privacy/file-register', {
    config: { access: roles('privacy_officer', 'system_admin') },
    schema: {
      tags, summary: '個人情報ファイル簿: the personal-information files, generated from the schema and the register',
      response: {
        200: Type.Object({
          municipality: Type.Object({ id: Uuid, name: Type.String() }),
          files: Type.Array(Type.Object({
            key: Type.String(), name: Type.String(), holder: Type.String(), work: Type.String(), purpose: Type.String(), scope: Type.String(),
            collection: Type.String(), sensitive: Type.Boolean(), sensitiveNote: Nullable(Type.String()),
            items: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), sensitive: Type.Boolean(), columns: Type.Array(Type.String()) })),
            recipients: Type.Array(Org), recipientsNote: Type.String(), requestsTo: Type.Array(Type.String()),
          })),
          unregistered: Type.Array(Type.String()),
        }),
        ...errorResponses(401, 403),
      },
    },
  }, async (req) => fileRegister(deps.db, req.session!.municipalityId));
}
