import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import { badRequest, notFound } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { ABOUT_RELATIONS, AGE_BANDS, issueChallenge, submitConcern, WORRIES, type ConcernSubmission } from './concerns.ts';

export interface PublicMunicipality {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
}

export interface PublicDeps extends Deps {
  /** The municipalities the public side serves (from the staff side's published snapshot). */
  municipalities: () => Promise<PublicMunicipality[]>;
  /** Called after a submission lands in the inbox; in one process it lets the staff side take it in at once. */
  onSubmitted?: () => void;
}

const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Resident pages' API: no sign-in, rate-limited, and never answers differently for what exists. */
export function publicRoutes(app: FastifyInstance, deps: PublicDeps) {
  const tags = ['public'];

  async function resolve(code: string | undefined): Promise<PublicMunicipality> {
    const all = await deps.municipalities();
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
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) })) }), ...errorResponses(429) },
    },
  }, async () => ({ items: (await deps.municipalities()).map(({ code, name, nameEn }) => ({ code, name, nameEn })) }));

  app.get('/api/public/concerns/challenge', {
    config: { access: PUBLIC, rateLimit: { max: 30, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'A signed challenge the concern form must solve before sending (no third-party service)',
      querystring: Type.Object({ municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ token: Type.String(), difficulty: Type.Integer(), municipality: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }) }),
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
        aboutRelation: Enum(ABOUT_RELATIONS),
        aboutAgeBand: Type.Optional(Type.Union([Enum(AGE_BANDS), Type.Null()])),
        worries: Type.Array(Enum(WORRIES), { maxItems: WORRIES.length, uniqueItems: true }),
        concern: Type.String({ minLength: 1, maxLength: 2000 }),
        anonymous: Type.Boolean(),
        name: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
        phone: Type.Optional(Type.Union([Type.String({ maxLength: 30, pattern: '^[0-9０-９+()\\- ー－]*$' }), Type.Null()])),
        email: Type.Optional(Type.Union([Type.String({ maxLength: 200, format: 'email' }), Type.Null(), Type.Literal('')])),
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
}
