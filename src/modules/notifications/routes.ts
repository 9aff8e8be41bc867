import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SIGNED_IN } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { notFound } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery } from '../../lib/pagination.ts';
import { listInbox, markAllRead, markRead } from './service.ts';

const Alert = Type.Object({
  id: Uuid, kind: Type.String(), subject: Type.String(), body: Type.String(),
  entityType: Type.Union([Type.String(), Type.Null()]), entityId: Type.Union([Uuid, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }), readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** In-app alerts: what the outbox addressed to the signed-in user or their role. */
export function notificationRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['alerts'];
  const who = (req: { session: { municipalityId: string; user: { id: string }; role: string } | null }) =>
    ({ municipalityId: req.session!.municipalityId, userId: req.session!.user.id, role: req.session!.role });

  app.get('/api/alerts', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Alerts for me (to me or to my role), newest first, a page at a time',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Alert), nextCursor: NextCursor, unread: Type.Integer({ description: 'unread alerts, over every page' }) }),
        ...errorResponses(400, 401),
      },
    },
  }, async (req) => {
    const { unread, ...page } = req.query as { unread?: boolean; cursor?: string; limit?: number };
    return listInbox(deps.db, who(req), { unreadOnly: unread, ...page });
  });

  app.post('/api/alerts/read-all', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Mark read every alert for me up to the newest one I was shown (すべて既読)',
      body: Type.Object({
        through: Type.String({ format: 'date-time', description: 'createdAt of the newest alert shown; alerts up to it count as read' }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ unread: Type.Integer({ description: 'unread alerts left (those that came after)' }) }), ...errorResponses(400, 401) },
    },
  }, async (req) => ({ unread: await markAllRead(deps, who(req), new Date((req.body as { through: string }).through)) }));

  app.post('/api/alerts/:id/read', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'Mark an alert read', params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 404) } },
  }, async (req, reply) => {
    if (!(await markRead(deps, who(req), (req.params as { id: string }).id))) throw notFound();
    return reply.status(204).send();
  });
}
