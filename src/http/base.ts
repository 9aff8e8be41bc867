import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { Redis } from 'ioredis';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { badRequest } from '../errors.ts';
import { createAjv } from '../lib/ajv.ts';
import { PUBLIC } from './access.ts';
import { errorHandler } from './errors.ts';
import { createMetrics, registerOperations, type Metrics } from './operations.ts';
import { ErrorBody } from './schemas.ts';
import { unstorable } from '../lib/schema.ts';
import { registerSecurityHeaders } from './security.ts';
import { buildSerializer } from './serializer.ts';

/**
 * What the staff app and the public app share: strict validation, one error
 * shape, security headers, operations (metrics, load shedding, draining),
 * rate limits, health and the OpenAPI document. It imports no module, so the
 * public side can be built on it without any path to case data.
 */

export interface BaseApp extends FastifyInstance {
  /** Every route as registered, for tests that check each declares its access. */
  registeredRoutes: RouteOptions[];
}

// Bodies are validated strictly: wrong types and unknown fields are 400s, never
// coerced or silently dropped. Query strings and path parameters arrive as
// text, so those are coerced to the declared types.
const bodyAjv = createAjv({ coerceTypes: false, removeAdditional: false, useDefaults: true });
const paramAjv = createAjv({ coerceTypes: 'array', removeAdditional: false, useDefaults: true });

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

export async function createBaseApp(opts: {
  config: Config;
  logger?: boolean | object;
  metrics?: Metrics;
  openapi: { title: string; description: string };
  bodyLimit?: number;
}): Promise<BaseApp> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? false,
    // one line per request is logged by the operations hooks, without query strings
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => crypto.randomUUID(),
    schemaController: { compilersFactory: { buildSerializer } },
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    trustProxy: process.env.TSUNAGU_TRUST_PROXY === 'true',
    // the draining hook answers 503 with Retry-After while closing; Fastify's own 503 would have none
    return503OnClosing: false,
    // the router's own refusals answer in the API's error format, as 400s like any other bad input
    frameworkErrors: (err, req, reply) => {
      const field = [{ field: 'path', message: 'Check the address of the request.' }];
      const refusal = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? badRequest('A part of the address is too long to be an id.', field)
        : err.code === 'FST_ERR_BAD_URL' ? badRequest('The address is not correctly encoded.', field) : err;
      return errorHandler(refusal as FastifyError, req, reply);
    },
  }) as unknown as BaseApp;

  app.registeredRoutes = [];
  app.addHook('onRoute', (route) => {
    app.registeredRoutes.push(route);
  });
  // first, so that every answer carries them, even one sent before any route runs
  await registerSecurityHeaders(app);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));
  app.setErrorHandler(errorHandler);
  app.addSchema(ErrorBody);
  // PostgreSQL text cannot hold U+0000, nor its JSON an unpaired surrogate: refuse them as bad input here rather than
  // fail in the database (in the parts a route reads, which are those it declares a schema for)
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema ?? {};
    const field = (schema.body ? unstorableAt(req.body, '') : undefined) ?? (schema.querystring ? unstorableAt(req.query, '') : undefined)
      ?? (schema.params ? unstorableAt(req.params, '') : undefined);
    if (field !== undefined)
      throw badRequest('Text cannot contain the NUL character (U+0000) or a broken character (an unpaired surrogate).', [{ field: field || 'body', message: 'Remove the NUL character or the broken character.' }]);
  });

  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: opts.openapi.title, version: '0.1.0', description: opts.openapi.description } },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await registerOperations(app, config, opts.metrics ?? createMetrics());

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
  return app;
}

/** Health, readiness and the OpenAPI document: registered by each app after its own hooks. */
export function healthRoutes(app: FastifyInstance, db: Db) {
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
}
