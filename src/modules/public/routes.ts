import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import { badRequest, notFound } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { issueChallenge, submitConcern, type ConcernSubmission } from './concerns.ts';
import { concernFields, PublicRuleSchema, type PublicMunicipality, type PublicSnapshotSource } from './crossing.ts';

export interface PublicDeps extends Deps {
  /** What the pages are served from: the snapshot the staff side published. */
  snapshots: PublicSnapshotSource;
  /** Called after a submission lands in the inbox; in one process it lets the staff side take it in at once. */
  onSubmitted?: () => void;
}

const MunicipalityOut = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) });
const MunicipalityQuery = Type.Object({ municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) }, { additionalProperties: false });

/** Resident pages' API: no sign-in, rate-limited, and never answers differently for what exists. */
export function publicRoutes(app: FastifyInstance, deps: PublicDeps) {
  const tags = ['public'];

  async function resolve(code: string | undefined): Promise<PublicMunicipality> {
    const all = await deps.snapshots.municipalities();
    // nothing published (yet): as unknown as any other municipality
    if (all.length === 0) throw notFound('municipality');
    if (!code) {
      if (all.length === 1) return all[0];
      throw badRequest('Choose a municipality.', [{ field: 'municipality', message: `Give the municipality code (one of: ${all.map((m) => m.code).join(', ')}).` }]);
    }
    const m = all.find((x) => x.code === code);
    if (!m) throw notFound('municipality');
    return m;
  }

  app.get('/api/public/municipalities', {
    config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'Municipalities whose resident pages this site serves',
      response: { 200: Type.Object({ items: Type.Array(MunicipalityOut) }), ...errorResponses(429) },
    },
  }, async () => ({ items: (await deps.snapshots.municipalities()).map(({ code, name, nameEn }) => ({ code, name, nameEn })) }));

  app.get('/api/public/concerns/challenge', {
    config: { access: PUBLIC, rateLimit: { max: 30, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'A signed challenge the concern form must solve before sending (no third-party service)',
      querystring: MunicipalityQuery,
      response: {
        200: Type.Object({ token: Type.String(), difficulty: Type.Integer(), municipality: MunicipalityOut }),
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (req) => {
    const m = await resolve((req.query as { municipality?: string }).municipality);
    return { ...(await issueChallenge(deps.db, deps.clock, m.id)), municipality: { code: m.code, name: m.name, nameEn: m.nameEn } };
  });

  app.post('/api/public/concerns', {
    config: { access: PUBLIC, rateLimit: { max: 5, timeWindow: 10 * 60_000 } },
    schema: {
      tags, summary: 'Tell the city you are worried about someone (気がかり相談); answers a receipt code',
      body: Type.Object({
        municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        ...concernFields,
        // left empty by people; scripts that fill every field give themselves away
        website: Type.Optional(Type.String({ maxLength: 200 })),
        challenge: Type.String({ maxLength: 300 }),
        solution: Type.String({ maxLength: 20 }),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ receiptCode: Type.String() }), ...errorResponses(400, 404, 429) },
    },
  }, async (req, reply) => {
    const body = req.body as ConcernSubmission & { municipality?: string; website?: string; challenge: string; solution: string };
    const m = await resolve(body.municipality);
    if (body.website) {
      // a bot: answer as if accepted, keep nothing
      req.log.info('concern form honeypot filled; discarded');
      return reply.status(201).send({ receiptCode: 'ZZZZ-ZZZZ' });
    }
    const result = await submitConcern(deps.db, deps.clock, m.id, body);
    deps.onSubmitted?.();
    return reply.status(201).send(result);
  });

  const Unknowns = Type.Array(Type.Unknown());
  app.get('/api/public/directory', {
    config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'The public directory the navigator works from: services and organisations (HSDS 3.0 shapes), taxonomies, and the routing rules’ public reasons',
      querystring: MunicipalityQuery,
      response: {
        200: Type.Object({
          municipality: MunicipalityOut,
          updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          organizations: Unknowns, services: Unknowns, taxonomies: Unknowns, taxonomyTerms: Unknowns,
          rules: Type.Array(PublicRuleSchema),
        }),
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (req) => {
    const { m, snapshot } = await published((req.query as { municipality?: string }).municipality);
    return {
      municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, updatedAt: snapshot.updatedAt?.toISOString() ?? null,
      ...snapshot.directory, rules: snapshot.rules,
    };
  });

  app.get('/api/public/events', {
    config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'Events residents may join (public lectures, peer groups); empty until the city publishes events',
      querystring: MunicipalityQuery,
      response: { 200: Type.Object({ municipality: MunicipalityOut, items: Unknowns }), ...errorResponses(400, 404, 429) },
    },
  }, async (req) => {
    const { m, snapshot } = await published((req.query as { municipality?: string }).municipality);
    return { municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, items: snapshot.events };
  });

  /** A municipality and what it published; one not (yet) published answers as unknown. */
  async function published(code: string | undefined) {
    const m = await resolve(code);
    const snapshot = await deps.snapshots.snapshot(m.id);
    if (!snapshot) throw notFound('municipality');
    return { m, snapshot };
  }
}
