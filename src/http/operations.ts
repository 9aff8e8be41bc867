import type { FastifyInstance, FastifyReply } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.ts';
import { PUBLIC } from './access.ts';

/** A 503 sent before any route runs: pre-serialised, since the route's own 503 schema (if any) describes something else. */
function unavailable(reply: FastifyReply, error: string) {
  return reply.status(503).header('retry-after', '5').type('application/json; charset=utf-8')
    .send(JSON.stringify({ error, code: 'unavailable', fields: [] }));
}

/** Counters the rest of the app adds to (scheduled jobs, the public pull). */
export interface Metrics {
  registry: Registry;
  jobRuns: Counter<'job' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    jobRuns: new Counter({ name: 'tsunagu_job_runs_total', help: 'Scheduled job runs by job and outcome', labelNames: ['job', 'outcome'], registers: [registry] }),
  };
}

/**
 * What operators need to see trouble before staff do: a Prometheus endpoint,
 * one structured log line per request (route pattern, never the query string,
 * which can hold a name), load shedding with 503 instead of slowing everyone,
 * and draining on shutdown.
 */
export async function registerOperations(app: FastifyInstance, config: Config, metrics: Metrics) {
  const requests = new Counter({ name: 'tsunagu_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [metrics.registry] });
  const duration = new Histogram({
    name: 'tsunagu_http_request_duration_seconds', help: 'HTTP request duration by route', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [metrics.registry],
  });

  let draining = false;
  app.decorate('startDraining', () => {
    draining = true;
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (draining) {
      reply.header('connection', 'close');
      return unavailable(reply, 'This instance is shutting down. Try again in a moment.');
    }
  });

  await app.register(underPressure, {
    maxEventLoopDelay: config.load.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.load.maxHeapUsedBytes,
    retryAfter: 5,
    exposeStatusRoute: false,
    pressureHandler: (_req, reply, type) => {
      unavailable(reply, `The server is overloaded (${type}). Try again in a few seconds.`);
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'not_found';
    const seconds = reply.elapsedTime / 1000;
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, seconds);
    req.log.info({ reqId: req.id, userId: req.session?.user.id ?? null, method: req.method, route, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime) }, 'request');
  });

  app.get('/metrics', { config: { access: PUBLIC }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** New requests get 503 with Retry-After while those in flight finish. */
    startDraining(): void;
  }
}
