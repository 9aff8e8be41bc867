import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../errors.ts';
import { enforceAccess, PUBLIC } from '../../http/access.ts';
import { createBaseApp, healthRoutes, type BaseApp } from '../../http/base.ts';
import type { Metrics } from '../../http/operations.ts';
import type { Clock } from '../../lib/clock.ts';
import { linkRoutes } from './linkRoutes.ts';
import { publicRoutes } from './routes.ts';
import { storedSnapshots } from './snapshots.ts';

/**
 * The public side as its own app (`serve --role public`): the resident pages
 * and their API, served from the public snapshot, and the link the staff side
 * pulls from. It holds no credentials for, and imports no code of, the case
 * side (a test walks its imports).
 */
export async function buildPublicApp({ db, clock, config, logger = false, metrics, linkSecret }: {
  db: Db;
  clock: Clock;
  config: Config;
  logger?: boolean | object;
  metrics?: Metrics;
  /** TSUNAGU_PULL_SECRET: the only key to the link. */
  linkSecret: string;
}): Promise<BaseApp> {
  const app = await createBaseApp({
    config, logger, metrics,
    openapi: { title: 'Tsunagu (つなぐ) public side', description: 'Resident pages and the link the staff side pulls from. Errors answer { error, code, fields }.' },
  });
  app.decorate('controlToken', null);
  app.decorate('linkSecret', linkSecret);
  app.decorateRequest('session', null);
  // before the body is parsed and checked: without the secret, the link says nothing about what it expects
  app.addHook('onRequest', async (req, reply) => enforceAccess(req, reply));
  healthRoutes(app, db);
  publicRoutes(app, { db, clock, snapshots: storedSnapshots(db) });
  linkRoutes(app, { db, clock });

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
    if (req.method === 'GET' && path === '/') return reply.redirect('/public/concern');
    if (req.method !== 'GET' || !/^\/public(\/|$)/.test(path)) throw notFound('resource at this path');
    if (!existsSync(indexHtml))
      return reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built yet. Run `npm run build`.');
    // the resident pages of the single-page app; the staff pages are not served here
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(indexHtml));
  });
  return app;
}
