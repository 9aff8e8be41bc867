import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../src/db/index.ts';
import { createTestDb, engine, type TestDb } from './helpers/db.ts';

/**
 * The two roles as real processes started by the CLI, as a city would run
 * them: the public side with its own store, the staff side pulling from it
 * and pushing its snapshot, and the public side stopped and started again
 * with a submission waiting.
 */

const bin = new URL('../bin/tsunagu.mjs', import.meta.url).pathname;
const SECRET = 'cli-test-pull-secret-0123456789-abcdefghijkl';
const dir = mkdtempSync(join(tmpdir(), 'tsunagu-roles-'));

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  s.close();
  await once(s, 'close');
  return port;
}

interface Running {
  child: ChildProcess;
  output: () => string;
}

async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Running> {
  const child = spawn('node', [bin, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  for (let i = 0; i < 600 && !ready.test(out); i++) {
    if (child.exitCode !== null) break;
    await delay(100);
  }
  assert.match(out, ready, `did not start: ${out}`);
  return { child, output: () => out };
}

async function stop(r: Running | undefined) {
  if (!r || r.child.exitCode !== null) return;
  r.child.kill('SIGTERM');
  await once(r.child, 'exit');
}

async function until<T>(what: string, f: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  for (let i = 0; i < seconds * 5; i++) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await delay(200);
  }
  throw new Error(`waited ${seconds} s for ${what}`);
}

describe('npx tsunagu serve --role public and --role staff, as two processes', () => {
  let publicPort: number;
  let staffPort: number;
  let publicEnv: NodeJS.ProcessEnv;
  let staffEnv: NodeJS.ProcessEnv;
  let pub: Running | undefined;
  let staff: Running | undefined;
  const pgDbs: TestDb[] = [];

  before(async () => {
    publicPort = await freePort();
    staffPort = await freePort();
    publicEnv = { PORT: String(publicPort), TSUNAGU_PULL_SECRET: SECRET, TSUNAGU_PUBLIC_DATA_DIR: join(dir, 'public'), DATABASE_URL: '' };
    staffEnv = {
      PORT: String(staffPort), TSUNAGU_PULL_SECRET: SECRET, TSUNAGU_PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
      TSUNAGU_DATA_DIR: join(dir, 'staff'), TSUNAGU_OUTBOX_DIR: join(dir, 'outbox'), DATABASE_URL: '',
    };
    if (engine === 'postgresql') {
      // each side its own database on the server
      for (let i = 0; i < 2; i++) pgDbs.push(await createTestDb({ migrate: false }));
      publicEnv.DATABASE_URL = pgDbs[0].url;
      staffEnv.DATABASE_URL = pgDbs[1].url;
    }
  });
  after(async () => {
    await stop(staff);
    await stop(pub);
    for (const d of pgDbs) await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const publicUrl = (path: string) => `http://127.0.0.1:${publicPort}${path}`;

  test('the staff role refuses to start without the public side’s address and secret', async () => {
    const r = spawn('node', [bin, 'serve', '--role', 'staff'], { env: { ...process.env, ...staffEnv, TSUNAGU_PUBLIC_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    r.stderr!.on('data', (d) => { err += d; });
    const [code] = await once(r, 'exit');
    assert.equal(code, 1);
    assert.match(err, /TSUNAGU_PUBLIC_URL/);
  });

  test('a resident’s concern sent to the public process reaches the staff process, across a restart of the public side', async () => {
    pub = await start(['serve', '--role', 'public'], publicEnv, /public side is running/);
    staff = await start(['serve', '--role', 'staff', '--demo'], staffEnv, /is running at/);

    // the staff side publishes at start: the public side now serves Musashino
    await until('the snapshot', async () => {
      const items = (await (await fetch(publicUrl('/api/public/municipalities'))).json() as { items: { name: string }[] }).items;
      return items.some((m) => m.name === '武蔵野市') ? true : undefined;
    });
    const page = await fetch(publicUrl('/public/concern'));
    assert.ok(page.status === 200 || page.status === 503, 'the resident page, or word that the web app is not built');
    assert.match(String(page.headers.get('content-security-policy')), /script-src 'self'/);

    // stop the staff side, then a resident sends the form: it waits on the public side
    await stop(staff);
    // the demo serves Musashino beside a fictional town: the resident's form names the municipality
    const challenge = await (await fetch(publicUrl('/api/public/concerns/challenge?municipality=132039'))).json() as { token: string; difficulty: number };
    await delay(3_200); // a person takes at least this long to fill the form
    let solution = 0;
    while (createHash('sha256').update(`${challenge.token}:${solution}`).digest().readUInt16BE(0) !== 0) solution++;
    const sent = await fetch(publicUrl('/api/public/concerns'), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ municipality: '132039', aboutRelation: 'family', worries: ['hikikomori'], concern: '弟が十年近く家から出ていません。', anonymous: true, challenge: challenge.token, solution: String(solution) }),
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    const { receiptCode } = await sent.json() as { receiptCode: string };

    // the public side goes down and comes back with the submission still in its own store
    await stop(pub);
    pub = await start(['serve', '--role', 'public'], publicEnv, /public side is running/);
    const waiting = async () => (await (await fetch(publicUrl('/api/link/submissions'), { headers: { authorization: `Bearer ${SECRET}` } })).json() as { items: unknown[] }).items.length;
    assert.equal(await waiting(), 1);

    // the staff side starts again and takes it in at its next run; the public side then holds nothing
    staff = await start(['serve', '--role', 'staff'], staffEnv, /is running at/);
    await until('the take-in', async () => ((await waiting()) === 0 ? true : undefined));
    await stop(staff);

    const staffDb = engine === 'postgresql' ? await openDatabase({ databaseUrl: pgDbs[1].url }) : await openDatabase({ dataDir: join(dir, 'staff', 'pglite') });
    try {
      const { rows } = await staffDb.query<{ concern: string }>('SELECT concern FROM concern_report WHERE receipt_code = $1', [receiptCode]);
      assert.deepEqual(rows, [{ concern: '弟が十年近く家から出ていません。' }]);
    } finally {
      await staffDb.close();
    }
  });
});
