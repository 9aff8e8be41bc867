import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import swagger from '@fastify/swagger';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { badRequest, notFound } from '../errors.ts';
import { createAjv } from '../lib/ajv.ts';
import type { Clock } from '../lib/clock.ts';
import { auditRoutes } from '../modules/audit/routes.ts';
import { authRoutes, SESSION_COOKIE } from '../modules/auth/routes.ts';
import { resolveSession } from '../modules/auth/service.ts';
import { caseRoutes, caseSchemas } from '../modules/cases/routes.ts';
import { registerIdempotency } from '../modules/operations/idempotency.ts';
import { controlRoutes } from '../modules/operations/routes.ts';
import { takeInConcerns } from '../modules/intake/concerns.ts';
import { hsdsRoutes } from '../modules/hsds/routes.ts';
import { intakeRoutes, intakeSchemas } from '../modules/intake/routes.ts';
import { networkRoutes, networkSchemas } from '../modules/network/routes.ts';
import { listMunicipalities } from '../modules/network/service.ts';
import { notificationRoutes } from '../modules/notifications/routes.ts';
import { localInbox } from '../modules/public/concerns.ts';
import { publicRoutes } from '../modules/public/routes.ts';
import { referralRoutes, referralSchemas } from '../modules/referrals/routes.ts';
import { retentionRoutes } from '../modules/retention/routes.ts';
import { routingRoutes } from '../modules/routing/routes.ts';
import { enforceAccess, PUBLIC } from './access.ts';
import { errorHandler } from './errors.ts';
import { createMetrics, registerOperations, type Metrics } from './operations.ts';
import { ErrorBody } from './schemas.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger?: boolean | object;
  metrics?: Metrics;
  /** Lets `npx tsunagu backup` on this machine ask a running server on PGlite to take the backup. */
  controlToken?: string;
}

export interface App extends FastifyInstance {
  /** Every route as registered, for tests that check each declares its access. */
  registeredRoutes: RouteOptions[];
  /** Takes waiting resident submissions into the staff side; returns how many. */
  takeInPublicSubmissions: () => Promise<number>;
}

// Bodies are validated strictly: wrong types and unknown fields are 400s, never
// coerced or silently dropped. Query strings and path parameters arrive as
// text, so those are coerced to the declared types.
const bodyAjv = createAjv({ coerceTypes: false, removeAdditional: false, useDefaults: true });
const paramAjv = createAjv({ coerceTypes: 'array', removeAdditional: false, useDefaults: true });

const unstorable = (s: string) => s.includes('\u0000') || /\p{Cs}/u.test(s);

/** The path (as error fields name them) of the first string or key holding U+0000 or an unpaired surrogate, or undefined. */
function unstorableAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (unstorable(k)) return at;
    const found = unstorableAt(v, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

export async function buildApp({ db, clock, config, logger = false, metrics, controlToken }: AppDeps): Promise<App> {
  const app = Fastify({
    logger,
    // one line per request is logged by the operations hooks, without query strings
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: process.env.TSUNAGU_TRUST_PROXY === 'true',
    // the router's own refusals answer in the API's error format, as 400s like any other bad input
    frameworkErrors: (err, req, reply) => {
      const field = [{ field: 'path', message: 'Check the address of the request.' }];
      const refusal = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? badRequest('A part of the address is too long to be an id.', field)
        : err.code === 'FST_ERR_BAD_URL' ? badRequest('The address is not correctly encoded.', field) : err;
      return errorHandler(refusal as FastifyError, req, reply);
    },
  }) as unknown as App;
  const deps = { db, clock };

  app.registeredRoutes = [];
  app.addHook('onRoute', (route) => {
    app.registeredRoutes.push(route);
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));
  app.setErrorHandler(errorHandler);
  app.addSchema(ErrorBody);
  for (const s of [...networkSchemas, ...intakeSchemas, ...caseSchemas, ...referralSchemas]) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tsunagu (つなぐ) API', version: '0.1.0', description: 'Staff and public API of Tsunagu. Errors answer { error, code, fields }.' },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await registerOperations(app, config, metrics ?? createMetrics());
  await app.register(cookie);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) : undefined;
  // a Redis outage must not take sign-in down with it: the limiter skips when it cannot count
  redis?.on('error', (err) => app.log.warn({ err: err.message }, 'redis unavailable; rate limits fall back to open'));
  if (redis) {
    app.addHook('onClose', async () => { redis.disconnect(); });
    // without an offline queue, requests before the connection is up would not be counted
    await Promise.race([once(redis, 'ready'), delay(2000)]).catch(() => {});
  }
  await app.register(rateLimit, {
    global: false,
    redis,
    nameSpace: 'tsunagu-rl-',
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'too_many_requests',
      message: `Too many requests. Try again in ${Math.ceil(ctx.ttl / 1000)} seconds.`,
    }),
  });

  app.decorate('controlToken', controlToken ?? null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) req.session = await resolveSession(db, clock, config.auth, token);
  });
  // PostgreSQL text cannot hold U+0000, nor its JSON an unpaired surrogate: refuse them as bad input here rather than fail in the database
  // (in the parts a route reads, which are those it declares a schema for)
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema ?? {};
    const field = (schema.body ? unstorableAt(req.body, '') : undefined) ?? (schema.querystring ? unstorableAt(req.query, '') : undefined) ?? (schema.params ? unstorableAt(req.params, '') : undefined);
    if (field !== undefined) throw badRequest('Text cannot contain the NUL character (U+0000) or a broken character (an unpaired surrogate).', [{ field: field || 'body', message: 'Remove the NUL character or the broken character.' }]);
  });
  app.addHook('preHandler', async (req, reply) => enforceAccess(req, reply));
  registerIdempotency(app, db, clock);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });

  app.get('/api/health', {
    config: { access: PUBLIC },
    schema: {
      tags: ['operations'], summary: 'Liveness and database reachability',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
        503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String(), error: Type.String() }),
      },
    },
  }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' as const, database: db.engine };
    } catch (err) {
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', database: db.engine, error: (err as Error).message });
    }
  });

  app.get('/api/ready', {
    config: { access: PUBLIC },
    schema: {
      tags: ['operations'], summary: 'Whether this instance can serve requests now',
      response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: Type.Object({ status: Type.Literal('not_ready'), reason: Type.String() }) },
    },
  }, async (_req, reply) => {
    try {
      await db.query('SELECT 1 FROM schema_migration LIMIT 1');
      return { status: 'ready' as const };
    } catch (err) {
      return reply.status(503).header('retry-after', '5').send({ status: 'not_ready', reason: (err as Error).message });
    }
  });

  app.get('/api/openapi.json', { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());

  if (controlToken) controlRoutes(app, deps);
  authRoutes(app, deps, config);
  auditRoutes(app, deps);
  networkRoutes(app, deps);
  intakeRoutes(app, deps);
  routingRoutes(app, deps);
  caseRoutes(app, deps);
  referralRoutes(app, deps);
  retentionRoutes(app, deps);
  notificationRoutes(app, deps);
  hsdsRoutes(app, deps);
  // One process serves both roles here; the staff side still takes submissions
  // in through the public inbox's pull interface, as it would across machines.
  const inbox = localInbox(db);
  app.decorate('takeInPublicSubmissions', () => takeInConcerns(deps, inbox));
  publicRoutes(app, {
    ...deps,
    municipalities: async () => (await listMunicipalities(db)).filter((m) => m.kind === 'municipality'),
    onSubmitted: () => {
      takeInConcerns(deps, inbox).catch((err) => app.log.error({ err }, 'taking in public submissions failed; the next run retries'));
    },
  });

  const indexHtml = join(config.webDir, 'index.html');
  if (existsSync(indexHtml)) {
    await app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), access: PUBLIC };
      });
      await scope.register(fastifyStatic, { root: config.webDir, wildcard: false, index: false, schemaHide: true });
    });
  }
  app.setNotFoundHandler({ preHandler: async () => {} }, async (req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || /^\/(api|hsds)(\/|$)/.test(path) || path === '/metrics') throw notFound('resource at this path');
    if (!existsSync(indexHtml))
      return reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built yet. Run `npm run build` (npm start does it for you).');
    // the single-page app routes everything else itself
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(indexHtml));
  });

  return app;
}
