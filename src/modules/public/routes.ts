import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import { badRequest, notFound } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { Nullable, StringEnum } from '../../lib/schema.ts';
import { issueChallenge, submitConcern, type ConcernSubmission } from './concerns.ts';
import { AGE_BANDS, concernFields, PublicAreaSchema, PublicEventSchema, PublicPartnerGroupSchema, PublicRuleSchema, type PublicMunicipality, type PublicSnapshotSource } from './crossing.ts';
import { AUDIENCES, groupWindows } from './leaflet.ts';
import { publicEventRoutes } from './events.ts';
import { GOING_OUT, NAVIGATOR_ABOUT, NAVIGATOR_SCHOOL_STAGES, NAVIGATOR_WORRIES, navigate, type NavigatorAnswers } from './navigator.ts';

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
      tags, summary: 'Events residents may join (public lectures, peer groups), soonest first; only those not yet over',
      querystring: MunicipalityQuery,
      response: { 200: Type.Object({ municipality: MunicipalityOut, items: Type.Array(PublicEventSchema) }), ...errorResponses(400, 404, 429) },
    },
  }, async (req) => {
    const { m, snapshot } = await published((req.query as { municipality?: string }).municipality);
    const now = deps.clock.now().getTime();
    const items = snapshot.events.filter((e) => Date.parse(e.endsAt) >= now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, items };
  });
  publicEventRoutes(app, { db: deps.db, clock: deps.clock, published: (code) => published(code) });

  const Enum = (values: readonly string[]) => StringEnum(values);
  const Ref = Type.Object({ id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) });
  const windowFields = {
    kind: Enum(['service', 'organization']),
    id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), description: Nullable(Type.String()),
    organization: Nullable(Ref), eligibility: Nullable(Type.String()), channels: Type.Array(Type.String()), notice: Nullable(Type.String()),
    contact: Type.Object({
      phones: Type.Array(Type.Object({ number: Type.String(), note: Nullable(Type.String()) })),
      email: Nullable(Type.String()), website: Nullable(Type.String()), address: Nullable(Type.String()), hours: Type.Array(Type.String()),
    }),
    services: Type.Array(Ref),
  };

  app.post('/api/public/navigator', {
    // Nothing of the answers is stored or logged: no write, no Idempotency-Key record, and the body is never logged.
    config: { access: PUBLIC, rateLimit: { max: 30, timeWindow: 60_000 }, storesNothing: true },
    schema: {
      tags, summary: '相談先ナビ: the windows the routing rules lead to for a few answers, with their public reasons (nothing is stored)',
      body: Type.Object({
        municipality: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        about: Enum(NAVIGATOR_ABOUT),
        age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120 }))),
        ageBand: Type.Optional(Nullable(Enum(AGE_BANDS))),
        schoolStage: Type.Optional(Nullable(Enum(NAVIGATOR_SCHOOL_STAGES))),
        worries: Type.Array(Enum(Object.keys(NAVIGATOR_WORRIES)), { maxItems: Object.keys(NAVIGATOR_WORRIES).length, uniqueItems: true }),
        canGoOut: Type.Optional(Nullable(Enum(GOING_OUT))),
        area: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          municipality: MunicipalityOut,
          windows: Type.Array(Type.Object({
            ...windowFields,
            reasons: Type.Array(Type.Object({
              ruleId: Type.String(), text: Type.String(),
              because: Type.Array(Type.Object({ ja: Type.String(), en: Type.String() })),
            })),
            upcoming: Type.Array(Type.Object({
              date: Type.String({ format: 'date' }), when: Type.String(), service: Type.Object({ id: Type.String(), name: Type.String() }), title: Nullable(Type.String()),
            })),
          })),
          couldAsk: Type.Array(Enum(['age', 'schoolStage', 'area', 'canGoOut'])),
          partnerGroups: Type.Array(PublicPartnerGroupSchema, { description: "the prefecture's partner groups (連携団体) serving the municipality whose ages fit" }),
        }),
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (req) => {
    const { municipality, ...answers } = req.body as NavigatorAnswers & { municipality?: string };
    const { m, snapshot } = await published(municipality);
    return { municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, ...navigate(answers, snapshot, japanDate(deps.clock.now())) };
  });

  app.get('/api/public/navigator/questions', {
    config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: {
      tags, summary: "What the navigator asks that depends on the municipality: its areas",
      querystring: MunicipalityQuery,
      response: { 200: Type.Object({ municipality: MunicipalityOut, areas: Type.Array(PublicAreaSchema) }), ...errorResponses(400, 404, 429) },
    },
  }, async (req) => {
    const { m, snapshot } = await published((req.query as { municipality?: string }).municipality);
    return { municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, areas: snapshot.areas ?? [] };
  });

  app.get('/api/public/windows', {
    config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: {
      tags, summary: 'Every window and program, grouped by who it is for (the printable leaflet)',
      querystring: MunicipalityQuery,
      response: {
        200: Type.Object({
          municipality: MunicipalityOut,
          updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          groups: Type.Array(Type.Object({
            audience: Enum(AUDIENCES),
            windows: Type.Array(Type.Object({ ...windowFields, audience: Enum(AUDIENCES), whenToContact: Type.Array(Type.String()) })),
          })),
        }),
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (req) => {
    const { m, snapshot } = await published((req.query as { municipality?: string }).municipality);
    return {
      municipality: { code: m.code, name: m.name, nameEn: m.nameEn }, updatedAt: snapshot.updatedAt?.toISOString() ?? null,
      groups: groupWindows(snapshot),
    };
  });

  /** A municipality and what it published; one not (yet) published answers as unknown. */
  async function published(code: string | undefined) {
    const m = await resolve(code);
    const snapshot = await deps.snapshots.snapshot(m.id);
    if (!snapshot) throw notFound('municipality');
    return { m, snapshot };
  }
}
