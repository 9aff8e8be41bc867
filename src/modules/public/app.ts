import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../errors.ts';
import { enforceAccess } from '../../http/access.ts';
import { createBaseApp, healthRoutes, type BaseApp } from '../../http/base.ts';
import type { Metrics } from '../../http/operations.ts';
import { serveWebApp } from '../../http/webApp.ts';
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

  // the resident pages of the single-page app; the staff pages are not served here
  await serveWebApp(app, config.webDir, (path, reply) => {
    if (path === '/') return reply.redirect('/public/concern');
    if (!/^\/public(\/|$)/.test(path)) throw notFound('resource at this path');
    return undefined;
  });
  return app;
}
