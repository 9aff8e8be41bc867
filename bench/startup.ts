/**
 * Start-up benchmark: how long the staff app takes to build (every route, its
 * validators and response serializers) once the database is migrated, and the
 * response serializers alone built as Fastify's default compiler builds them
 * (handing every shared schema to each) against src/http/serializer.ts
 * (handing each only those it refers to), in the same process.
 *
 *   node --import tsx bench/startup.ts [builds]
 *
 * Every instance pays this at start, and every test file for each app it builds.
 */
import { performance } from 'node:perf_hooks';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/index.ts';
import { buildApp } from '../src/http/app.ts';
import { buildSerializer } from '../src/http/serializer.ts';
import { systemClock } from '../src/lib/clock.ts';
import { loadConfig } from '../src/config.ts';

const builds = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const db = await openPglite();
await migrate(db);
const config = loadConfig({ TSUNAGU_DATA_DIR: '/nonexistent' } as NodeJS.ProcessEnv, { demo: false });

const times: number[] = [];
let app = await buildApp({ db, clock: systemClock, config });
for (let i = 0; i < builds; i++) {
  await app.close();
  const t0 = performance.now();
  app = await buildApp({ db, clock: systemClock, config });
  await app.ready();
  times.push(performance.now() - t0);
}
console.log(`build the staff app and make it ready: median ${median(times).toFixed(0)} ms of ${builds} (min ${Math.min(...times).toFixed(0)} ms)`);

// the response schemas of every route, with the shared schemas they may refer to
const shared = app.getSchemas();
const responses = app.registeredRoutes.flatMap((r) =>
  Object.entries((r.schema?.response ?? {}) as Record<string, unknown>).map(([httpStatus, schema]) => ({ method: String(r.method), url: r.url, httpStatus, schema })));
const compileAll = (factory: (shared: unknown) => (route: (typeof responses)[number]) => unknown) => {
  const t0 = performance.now();
  const compile = factory(shared);
  for (const r of responses) compile(r);
  return performance.now() - t0;
};
const fastifyDefault = median(Array.from({ length: 3 }, () => compileAll((s) => SerializerSelector()(s, {}))));
const referencedOnly = median(Array.from({ length: 3 }, () => compileAll((s) => buildSerializer(s, {}))));
console.log(`${responses.length} response serializers, ${Object.keys(shared).length} shared schemas:`);
console.log(`  as Fastify's default compiler builds them: ${fastifyDefault.toFixed(0)} ms`);
console.log(`  with the shared schemas each refers to:    ${referencedOnly.toFixed(0)} ms (${(fastifyDefault / referencedOnly).toFixed(1)}x faster)`);
await app.close();
await db.close();
