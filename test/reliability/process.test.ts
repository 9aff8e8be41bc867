import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCrashCycles } from '../../reliability/crash.ts';
import { api, freePort, freshTarget, seed, signIn, startServer } from '../../reliability/harness.ts';
import { engine } from '../helpers/db.ts';

// The real server as a process, on this pass's engine: killed, restarted, drained.

const pgUrl = process.env.TEST_DATABASE_URL;

describe(`the server process on ${engine}`, () => {
  test('killed with SIGKILL at random moments under write load (10 cycles): every acknowledged write survives whole, and the audit chain verifies', async () => {
    const report = await runCrashCycles(engine, 10, { pgUrl, log: (s) => console.log(`# ${s}`) });
    assert.equal(report.cycles, 10);
    assert.ok(report.acknowledged > 0);
    assert.equal(report.lost, 0);
    assert.equal(report.incomplete, 0);
    assert.equal(report.auditOk, true);
    assert.ok(report.maxRestartMs < 30_000, `answers within seconds of a restart (${report.maxRestartMs} ms)`);
  });

  test('SIGTERM drains: requests in flight finish, later ones are refused, and the process exits cleanly', async () => {
    const target = freshTarget(engine, pgUrl);
    try {
      seed(target);
      const server = await startServer(target, freePort());
      const desk = await signIn(server.url, 'rel-desk');
      const body = { receivedAt: new Date().toISOString(), channel: 'phone', consulterRelation: 'self', issueTags: [], summary: 'drain', urgency: 'normal' };
      const inFlight = Array.from({ length: 20 }, () => api(desk, 'POST', '/api/consultations', body).then((r) => r.status, () => 'refused'));
      await new Promise((r) => setTimeout(r, 20));
      server.proc.kill('SIGTERM');
      const statuses = await Promise.all(inFlight);
      assert.equal(await server.exited, 0, 'exits with code 0');
      // each request either completed, or was turned away cleanly: none was cut off with a 500
      for (const s of statuses) assert.ok(s === 201 || s === 503 || s === 'refused', String(s));
      assert.ok(statuses.filter((s) => s === 201).length > 0, 'requests already in flight completed');
      const late = await fetch(`${server.url}/api/health`).then((r) => r.status, () => 'refused');
      assert.equal(late, 'refused', 'nothing answers after exit');
      // and what was acknowledged is there on the next start
      const again = await startServer(target, freePort());
      const c = await signIn(again.url, 'rel-desk');
      const list = await api<{ items: unknown[] }>(c, 'GET', '/api/consultations?organizationId=all&limit=100');
      assert.equal(list.body.items.length, statuses.filter((s) => s === 201).length);
      again.proc.kill('SIGTERM');
      await again.exited;
    } finally {
      target.cleanup();
    }
  });

  test('a second server on the same embedded data directory is refused with a clear message and touches nothing', { skip: engine !== 'pglite' ? 'PGlite only' : false }, async () => {
    const target = freshTarget('pglite');
    try {
      seed(target);
      const first = await startServer(target, freePort());
      await assert.rejects(startServer(target, freePort()), /in use by another Tsunagu process/);
      assert.equal((await fetch(`${first.url}/api/health`)).status, 200, 'the first keeps serving');
      first.proc.kill('SIGKILL');
      await first.exited;
      const next = await startServer(target, freePort());
      assert.equal((await fetch(`${next.url}/api/health`)).status, 200, 'after a SIGKILL the next start proceeds');
      next.proc.kill('SIGTERM');
      await next.exited;
    } finally {
      target.cleanup();
    }
  });
});
