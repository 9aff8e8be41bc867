import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AuthConfig } from '../../config.ts';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery } from '../../lib/pagination.ts';
import { requireRecentSecondFactor } from '../auth/mfa.ts';
import { actorOf } from '../auth/service.ts';
import { closeBreakGlassReview, endBreakGlass, listBreakGlass, startBreakGlass, startBreakGlassByReference, type BreakGlassQuery } from './breakGlass.ts';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Use = Type.Object({
  id: Uuid, caseId: Uuid, caseReference: Type.String(), user: Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() }),
  organizationId: Uuid, reason: Type.String(), startedAt: DateTime, expiresAt: DateTime, endedAt: Nullable(DateTime),
  reviewFinding: Nullable(Type.String()), reviewedAt: Nullable(DateTime),
});

/** Break-the-glass: staff open one case in an emergency; the privacy officer reviews each use. */
export function breakGlassRoutes(app: FastifyInstance, deps: Deps, auth: AuthConfig) {
  const tags = ['break-the-glass'];

  app.post('/api/cases/:id/break-glass', {
    config: { access: roles('hub_coordinator', 'org_staff') },
    schema: {
      tags, summary: 'Open a case you may not see, read-only, in an emergency (asks for the code again; the privacy officer is alerted)', params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 201: Use, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    const use = await startBreakGlass(deps, actorOf(req.session!, req), (req.params as { id: string }).id, { reason: (req.body as { reason: string }).reason, minutes: auth.breakGlassMinutes });
    return reply.status(201).send(use);
  });

  app.post('/api/break-glass', {
    config: { access: roles('hub_coordinator', 'org_staff') },
    schema: {
      tags, summary: 'The same, by case number (ケース番号) as staff know it; an unknown number answers 404 like an unknown case',
      body: Type.Object({
        caseReference: Type.String({ minLength: 1, maxLength: 40 }),
        reason: Type.String({ minLength: 1, maxLength: 1000 }),
      }, { additionalProperties: false }),
      response: { 201: Use, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    // the code first: whoever fails it learns nothing about which case numbers exist
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    const body = req.body as { caseReference: string; reason: string };
    const use = await startBreakGlassByReference(deps, actorOf(req.session!, req), body.caseReference, { reason: body.reason, minutes: auth.breakGlassMinutes });
    return reply.status(201).send(use);
  });

  app.post('/api/break-glass/:id/end', {
    config: { access: roles('hub_coordinator', 'org_staff') },
    schema: { tags, summary: 'End my emergency access before its time limit', params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await endBreakGlass(deps, actorOf(req.session!, req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });

  app.get('/api/break-glass', {
    config: { access: roles('privacy_officer', 'auditor') },
    schema: {
      tags, summary: 'Break-the-glass uses, those still to review first, then the newest first, a page at a time; openReview=true lists only those still to review',
      querystring: Type.Object({ openReview: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Use), nextCursor: NextCursor,
          total: Type.Integer({ description: 'uses on every page' }), openReviews: Type.Integer({ description: 'of those, still to review' }),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => listBreakGlass(deps.db, req.session!.municipalityId, req.query as BreakGlassQuery));

  app.post('/api/break-glass/:id/review', {
    config: { access: roles('privacy_officer') },
    schema: {
      tags, summary: 'Close the review of a break-the-glass use with a finding', params: IdParams,
      body: Type.Object({ finding: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
      response: { 200: Use, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => closeBreakGlassReview(deps, actorOf(req.session!, req), (req.params as { id: string }).id, (req.body as { finding: string }).finding));
}
