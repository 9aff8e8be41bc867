import cookie from '@fastify/cookie';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { notFound } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { auditRoutes } from '../modules/audit/routes.ts';
import { authRoutes, SESSION_COOKIE } from '../modules/auth/routes.ts';
import { resolveSession } from '../modules/auth/service.ts';
import { breakGlassRoutes } from '../modules/cases/breakGlassRoutes.ts';
import { caseRoutes, caseSchemas } from '../modules/cases/routes.ts';
import { registerIdempotency } from '../modules/operations/idempotency.ts';
import { controlRoutes } from '../modules/operations/routes.ts';
import { takeInConcerns } from '../modules/intake/concerns.ts';
import { hsdsRoutes } from '../modules/hsds/routes.ts';
import { incidentRoutes } from '../modules/incidents/routes.ts';
import { intakeRoutes, intakeSchemas } from '../modules/intake/routes.ts';
import { networkRoutes, networkSchemas } from '../modules/network/routes.ts';
import { notificationRoutes } from '../modules/notifications/routes.ts';
import { privacyRoutes } from '../modules/privacy/routes.ts';
import { privacySchemas } from '../modules/privacy/schemas.ts';
import { localInbox } from '../modules/public/concerns.ts';
import { checkedInbox, type Refusal } from '../modules/public/crossing.ts';
import type { PublicLink } from '../modules/public/linkClient.ts';
import { publicRoutes } from '../modules/public/routes.ts';
import { liveSnapshots, publishSnapshots } from '../publicLink.ts';
import { referralRoutes, referralSchemas } from '../modules/referrals/routes.ts';
import { meetingRoutes, meetingSchemas } from '../modules/meetings/routes.ts';
import { placementRoutes } from '../modules/programs/placementsRoutes.ts';
import { outreachRoutes, outreachSchemas } from '../modules/programs/outreachRoutes.ts';
import { retentionRoutes } from '../modules/retention/routes.ts';
import { routingRoutes } from '../modules/routing/routes.ts';
import { prefectureRoutes } from '../modules/prefecture/routes.ts';
import { homeVisitRoutes } from '../modules/prefecture/homeVisitRoutes.ts';
import { consultationDayRoutes } from '../modules/prefecture/consultationDayRoutes.ts';
import { expertRoutes } from '../modules/prefecture/expertRoutes.ts';
import { supporterMeetingRoutes } from '../modules/prefecture/supporterMeetingRoutes.ts';
import { statsRoutes, statsSchemas } from '../modules/stats/routes.ts';
import { eventRoutes } from '../modules/programs/eventRoutes.ts';
import { takeInEventCounts } from '../modules/programs/events.ts';
import { eventRegistrationCounts } from '../modules/public/events.ts';
import { enforceAccess } from './access.ts';
import { serveWebApp } from './webApp.ts';
import { createBaseApp, healthRoutes, type BaseApp } from './base.ts';
import type { Metrics } from './operations.ts';
import { registerSensitiveFilter } from './sensitive.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger?: boolean | object;
  metrics?: Metrics;
  /** Lets `npx tsunagu backup` on this machine ask a running server on PGlite to take the backup. */
  controlToken?: string;
  /**
   * `all` (the default): staff and resident pages in one process, the staff
   * side taking submissions in through the same pull interface. `staff`: no
   * resident pages; submissions and the public snapshot cross over `link`
   * to a public side that runs apart (`serve --role public`).
   */
  role?: 'all' | 'staff';
  link?: PublicLink;
}

export interface App extends BaseApp {
  /** Takes waiting resident submissions into the staff side; returns how many. */
  takeInPublicSubmissions: () => Promise<number>;
  /** Brings the public side's snapshot up to date (staff role; nothing to do in one process). */
  publishPublicSnapshot: () => Promise<{ pushed: number; removed: number }>;
  /** Pulls event registration counts (counts only) from the public side; returns how many events changed. */
  pullEventCounts: () => Promise<number>;
}

export async function buildApp({ db, clock, config, logger = false, metrics, controlToken, role = 'all', link }: AppDeps): Promise<App> {
  const app = await createBaseApp({
    config, logger, metrics,
    openapi: { title: 'Tsunagu (つなぐ) API', description: 'Staff and public API of Tsunagu. Errors answer { error, code, fields }.' },
  }) as App;
  const deps = { db, clock };
  for (const s of [...networkSchemas, ...intakeSchemas, ...caseSchemas, ...referralSchemas, ...meetingSchemas, ...privacySchemas, ...statsSchemas]) app.addSchema(s);
  for (const s of outreachSchemas) app.addSchema(s);
  await app.register(cookie);

  app.decorate('controlToken', controlToken ?? null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) req.session = await resolveSession(db, clock, config.auth, token);
  });
  app.addHook('preHandler', async (req, reply) => enforceAccess(req, reply));
  registerIdempotency(app, db, clock);
  healthRoutes(app, db);

  registerSensitiveFilter(app, db);
  if (controlToken) controlRoutes(app, deps);
  authRoutes(app, deps, config);
  auditRoutes(app, deps, config.auth);
  incidentRoutes(app, deps);
  networkRoutes(app, deps);
  intakeRoutes(app, deps);
  routingRoutes(app, deps);
  caseRoutes(app, deps);
  breakGlassRoutes(app, deps, config.auth);
  referralRoutes(app, deps);
  meetingRoutes(app, deps);
  placementRoutes(app, deps);
  outreachRoutes(app, deps);
  retentionRoutes(app, deps);
  privacyRoutes(app, deps, config);
  notificationRoutes(app, deps);
  statsRoutes(app, deps, config);
  prefectureRoutes(app, deps, config);
  homeVisitRoutes(app, deps);
  consultationDayRoutes(app, deps, config);
  expertRoutes(app, deps);
  supporterMeetingRoutes(app, deps);
  hsdsRoutes(app, deps);
  const pullEventCounts = role === 'staff'
    ? async () => (link?.eventCounts ? takeInEventCounts(deps, await link.eventCounts()) : 0)
    : async () => takeInEventCounts(deps, await eventRegistrationCounts(db, clock));
  app.decorate('pullEventCounts', pullEventCounts);
  eventRoutes(app, deps, { suppressBelow: config.stats.suppressBelow, pullCounts: role === 'staff' ? undefined : pullEventCounts });
  const onRefused = (r: Refusal) =>
    app.log.warn({ municipalityId: r.municipalityId, submissionId: r.id, problems: r.problems }, 'a public submission failed the staff side check and was refused');
  if (role === 'staff') {
    if (!link) throw new Error('The staff role needs its link to the public side (TSUNAGU_PUBLIC_URL, TSUNAGU_PULL_SECRET).');
    const inbox = checkedInbox(link.inbox, onRefused);
    app.decorate('takeInPublicSubmissions', () => takeInConcerns(deps, inbox));
    // one publication at a time; a change while one runs is published after it
    let publishing: Promise<unknown> = Promise.resolve();
    const publish = () => {
      const run = publishing.then(() => publishSnapshots(db, link));
      publishing = run.catch(() => {});
      return run;
    };
    app.decorate('publishPublicSnapshot', publish);
    app.addHook('onResponse', async (req, reply) => {
      // the rule editor, events and opening days change what residents read: publish now, not at the next scheduled run
      if (req.method !== 'GET' && (req.routeOptions.url?.startsWith('/api/routing/rules') || req.routeOptions.url?.startsWith('/api/events') || req.routeOptions.url?.startsWith('/api/drop-in-places')) && reply.statusCode < 300)
        publish().catch((err) => app.log.warn({ err: (err as Error).message }, 'publishing the public snapshot failed; the next run retries'));
    });
  } else {
    // One process serves both roles here; the staff side still takes submissions
    // in through the public inbox's pull interface, as it would across machines.
    const inbox = localInbox(db, onRefused);
    app.decorate('takeInPublicSubmissions', () => takeInConcerns(deps, inbox));
    app.decorate('publishPublicSnapshot', async () => ({ pushed: 0, removed: 0 }));
    publicRoutes(app, {
      ...deps,
      snapshots: liveSnapshots(db),
      onSubmitted: () => {
        takeInConcerns(deps, inbox).catch((err) => app.log.error({ err }, 'taking in public submissions failed; the next run retries'));
      },
    });
  }

  await serveWebApp(app, config.webDir, (path, reply) => {
    if (/^\/(api|hsds)(\/|$)/.test(path) || path === '/metrics') throw notFound('resource at this path');
    if (role === 'staff' && /^\/public(\/|$)/.test(path))
      return reply.status(404).type('text/plain; charset=utf-8').send('The resident pages are served by the public side (serve --role public).');
    return undefined;
  });

  return app;
}
