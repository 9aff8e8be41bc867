import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { LINK } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import { badRequest } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { storedInbox } from './concerns.ts';
import { eventLinkRoutes } from './events.ts';
import { InboxRef, SnapshotPushSchema } from './crossing.ts';
import { removeSnapshot, snapshotStates, storeSnapshot } from './snapshots.ts';

/**
 * The public side's end of the link: the staff side pulls submissions and
 * confirms what it took in, and pushes the public snapshot. Every call comes
 * from the staff side with the shared secret; the public side never calls
 * inward. Answers do not depend on whether a confirmed submission was held.
 */

export const PULL_LIMIT_MAX = 200;
/** Musashino's directory is about 100 KB; a prefecture-wide one stays far below this. */
export const SNAPSHOT_BODY_LIMIT = 16 * 1_048_576;

const MunicipalityIdParams = Type.Object({ municipalityId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function linkRoutes(app: FastifyInstance, { db, clock }: Deps) {
  const tags = ['link'];
  // the staff side calls every few seconds; more than this is someone guessing the secret
  const config = { access: LINK, rateLimit: { max: 600, timeWindow: 60_000 } };
  const inbox = storedInbox(db);

  app.get('/api/link/submissions', {
    config,
    schema: {
      tags, summary: 'Submissions waiting for the staff side, oldest first (they stay until confirmed)',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PULL_LIMIT_MAX, default: 50 })) }, { additionalProperties: false }),
      // sent as stored, not through a serialiser that would drop what it does not know:
      // the staff side checks each item against InboxItemSchema and refuses what does not fit
      response: { 200: Type.Object({ items: Type.Array(Type.Unknown(), { description: 'submissions as stored; each should match the InboxItem schema' }) }), ...errorResponses(400, 401, 403, 429) },
    },
  }, async (req) => {
    const items = await inbox.fetch((req.query as { limit: number }).limit);
    return { items: items.map((i) => ({ ...(i as { receivedAt: Date }), receivedAt: (i as { receivedAt: Date }).receivedAt.toISOString() })) };
  });

  app.post('/api/link/submissions/confirm', {
    config,
    schema: {
      tags, summary: 'The staff side has taken these in (or refused them): delete them here. Confirming again is harmless.',
      body: Type.Object({ items: Type.Array(InboxRef, { maxItems: 1000 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    await inbox.confirm((req.body as { items: Static<typeof InboxRef>[] }).items);
    return reply.status(204).send();
  });

  eventLinkRoutes(app, { db, clock });

  app.get('/api/link/snapshots', {
    config,
    schema: {
      tags, summary: 'Which snapshot of each municipality the public side holds (by the staff side’s hash)',
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ municipalityId: Type.String(), code: Type.String(), hash: Type.String(), receivedAt: Type.String({ format: 'date-time' }) })) }),
        ...errorResponses(401, 403, 429),
      },
    },
  }, async () => ({ items: (await snapshotStates(db)).map((s) => ({ ...s, receivedAt: s.receivedAt.toISOString() })) }));

  app.put('/api/link/snapshots/:municipalityId', {
    config,
    bodyLimit: SNAPSHOT_BODY_LIMIT,
    schema: {
      tags, summary: 'Publish a municipality’s public snapshot (directory, public routing reasons, events)',
      params: MunicipalityIdParams, body: SnapshotPushSchema,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    const { hash, snapshot } = req.body as Static<typeof SnapshotPushSchema>;
    if (snapshot.municipality.id !== (req.params as { municipalityId: string }).municipalityId)
      throw badRequest('The snapshot is for another municipality than the path names.', [{ field: 'snapshot.municipality.id', message: 'The snapshot is for another municipality than the path names.' }]);
    await storeSnapshot(db, clock, hash, snapshot);
    return reply.status(204).send();
  });

  app.delete('/api/link/snapshots/:municipalityId', {
    config,
    schema: {
      tags, summary: 'Stop publishing a municipality',
      params: MunicipalityIdParams,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    await removeSnapshot(db, (req.params as { municipalityId: string }).municipalityId);
    return reply.status(204).send();
  });
}
