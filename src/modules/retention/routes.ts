import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { listHolds, listPolicies, placeHold, RECORD_CLASSES, releaseHold, setPolicies, type Policy } from './service.ts';

const Policy = Type.Object({ recordClass: Type.Union(RECORD_CLASSES.map((c) => Type.Literal(c))), years: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false });
const Hold = Type.Object({
  id: Uuid, caseId: Type.Union([Uuid, Type.Null()]), personId: Type.Union([Uuid, Type.Null()]), reason: Type.String(),
  placedAt: Type.String({ format: 'date-time' }), releasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Retention periods per record class and legal holds, for the municipality's administrator. */
export function retentionRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['retention'];
  const ADMIN = roles('system_admin');

  app.get('/api/retention/policies', {
    config: { access: ADMIN },
    schema: { tags, summary: 'How long each class of record is kept', response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listPolicies(deps.db, req.session!.municipalityId) }));

  app.put('/api/retention/policies', {
    config: { access: ADMIN },
    schema: {
      tags, summary: 'Set retention periods (years) per record class', body: Type.Object({ items: Type.Array(Policy, { minItems: 1, maxItems: RECORD_CLASSES.length }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => ({ items: await setPolicies(deps, actorOf(req.session!, req), (req.body as { items: Policy[] }).items) }));

  app.get('/api/retention/holds', {
    config: { access: ADMIN },
    schema: { tags, summary: 'Legal holds', response: { 200: Type.Object({ items: Type.Array(Hold) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listHolds(deps.db, req.session!.municipalityId) }));

  app.post('/api/retention/holds', {
    config: { access: ADMIN },
    schema: {
      tags, summary: 'Place a legal hold on a case or a person: nothing of it is disposed of until released',
      body: Type.Object({ caseId: Type.Optional(Uuid), personId: Type.Optional(Uuid), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 201: Hold, ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(await placeHold(deps, actorOf(req.session!, req), req.body as { caseId?: string; personId?: string; reason: string })));

  app.post('/api/retention/holds/:id/release', {
    config: { access: ADMIN },
    schema: { tags, summary: 'Release a legal hold', params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await releaseHold(deps, actorOf(req.session!, req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });
}
