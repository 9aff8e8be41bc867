import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { recordAudit, verifyAuditChain } from './service.ts';

/** The audit trail's integrity, for auditors (the same check as `npx tsunagu audit verify`). */
export function auditRoutes(app: FastifyInstance, deps: Deps) {
  app.get('/api/audit/verification', {
    config: { access: roles('auditor', 'system_admin') },
    schema: {
      tags: ['audit'], summary: 'Recompute the audit hash chains and report any altered, removed or inserted event',
      response: {
        200: Type.Object({
          ok: Type.Boolean(), chains: Type.Integer(), events: Type.Integer(),
          problems: Type.Array(Type.Object({ municipalityId: Type.String(), seq: Type.Integer(), problem: Type.String() })),
        }),
        ...errorResponses(401, 403),
      },
    },
  }, async (req) => {
    const result = await verifyAuditChain(deps.db);
    await recordAudit(deps.db, deps.clock, actorOf(req.session!, req), { action: 'audit.verify', reason: 'integrity check', details: { ok: result.ok, events: result.events } });
    return result;
  });
}
