import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/context.ts';
import { recordAudit, verifyAuditChain } from './service.ts';

let t: TestDb;
const clock = new FakeClock('2026-05-01T09:00:00Z');
const cityA = '11111111-1111-4111-8111-111111111111';
const cityB = '22222222-2222-4222-8222-222222222222';
const cityC = '55555555-5555-4555-8555-555555555555';
const actor = (municipalityId: string): Actor => ({
  userId: '33333333-3333-4333-8333-333333333333', login: 'desk', municipalityId,
  organizationId: '44444444-4444-4444-8444-444444444444', role: 'hub_coordinator', requestId: 'req-1', ip: '127.0.0.1',
});

before(async () => {
  t = await createTestDb();
  for (let i = 0; i < 5; i++) {
    await recordAudit(t.db, clock, actor(cityA), { action: 'case.read', entityType: 'support_case', entityId: `c${i}`, reason: 'assigned', details: { b: 1, a: [i, 'x'] } });
    await recordAudit(t.db, clock, actor(cityB), { action: 'case.update', entityType: 'support_case', entityId: `d${i}` });
    clock.advance(1000);
  }
});
after(() => t.close());

/** Changes a row behind the application's back, as an attacker with table access could. */
async function tamper(sql: string, params: unknown[]) {
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
  });
}

describe('the audit trail', () => {
  test('each municipality has its own chain, and an untouched trail verifies', async () => {
    const result = await verifyAuditChain(t.db);
    assert.deepEqual(result, { ok: true, chains: 2, events: 10, problems: [] });
  });

  test('events are written only together with the change they record', async () => {
    await assert.rejects(t.db.transaction(async (tx) => {
      await recordAudit(tx, clock, actor(cityA), { action: 'case.update', entityId: 'rolled-back' });
      throw new Error('the change failed');
    }));
    const { rows } = await t.db.query("SELECT 1 FROM audit_event WHERE entity_id = 'rolled-back'");
    assert.equal(rows.length, 0);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('reads audited at the same moment are each kept once in one unbroken chain, and one refused event loses no other', async () => {
    const before = Number((await t.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_event WHERE municipality_id = $1', [cityA])).rows[0]!.n);
    const reads = Array.from({ length: 120 }, (_, i) =>
      recordAudit(t.db, clock, actor(cityA), { action: 'case.list', entityType: 'support_case', reason: 'case list', details: { page: i, note: i === 57 ? 'NUL \u0000 is refused by jsonb' : 'ok' } }));
    const settled = await Promise.allSettled(reads);
    assert.deepEqual(settled.flatMap((r, i) => (r.status === 'rejected' ? [i] : [])), [57], 'only the event the database refuses fails');
    const { rows } = await t.db.query<{ seq: number; page: number }>(
      `SELECT seq, (details->>'page')::int AS page FROM audit_event WHERE municipality_id = $1 AND action = 'case.list' ORDER BY seq`, [cityA]);
    assert.deepEqual(rows.map((r) => r.page).sort((a, b) => a - b), Array.from({ length: 120 }, (_, i) => i).filter((i) => i !== 57));
    assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 119 }, (_, i) => before + 1 + i), 'no gap in the sequence');
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('reads audited while a change holds the chain, or after one, land after it, and the chain stays unbroken', async () => {
    let lockTaken!: () => void;
    let release!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    await recordAudit(t.db, clock, actor(cityC), { action: 'case.read', entityType: 'support_case', entityId: 'begins-the-chain' });
    const change = t.db.transaction(async (tx) => {
      await recordAudit(tx, clock, actor(cityC), { action: 'case.update', entityType: 'support_case', entityId: 'held' });
      lockTaken();
      await held;
    });
    await taken;
    // the read finds the head as it was before the change, and must not write after that stale head
    const read = recordAudit(t.db, clock, actor(cityC), { action: 'case.read', entityType: 'support_case', entityId: 'read-while-held' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([change, read]);
    // and a read after a change this process did not see coming (the head it remembers is stale)
    await t.db.transaction((tx) => recordAudit(tx, clock, actor(cityC), { action: 'case.update', entityType: 'support_case', entityId: 'moved-behind' }));
    await recordAudit(t.db, clock, actor(cityC), { action: 'case.read', entityType: 'support_case', entityId: 'read-after' });
    const { rows } = await t.db.query<{ seq: number; entity_id: string }>(
      `SELECT seq, entity_id FROM audit_event WHERE municipality_id = $1 AND entity_id <> 'begins-the-chain' ORDER BY seq`, [cityC]);
    assert.deepEqual(rows.map((r) => r.entity_id), ['held', 'read-while-held', 'moved-behind', 'read-after']);
    assert.deepEqual(rows.map((r) => Number(r.seq)), [2, 3, 4, 5]);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('the application cannot update or delete audit rows', async () => {
    await assert.rejects(t.db.query("UPDATE audit_event SET reason = 'x' WHERE seq = 1"), /append-only/);
    await assert.rejects(t.db.query('DELETE FROM audit_event WHERE seq = 1'), /append-only/);
  });

  test('a changed event is detected', async () => {
    await tamper("UPDATE audit_event SET reason = 'curiosity' WHERE municipality_id = $1 AND seq = 3", [cityA]);
    const result = await verifyAuditChain(t.db);
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems, [{ municipalityId: cityA, seq: 3, problem: 'content differs from what was recorded' }]);
    await tamper("UPDATE audit_event SET reason = 'assigned' WHERE municipality_id = $1 AND seq = 3", [cityA]);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('a removed event is detected, in the middle or at the end', async () => {
    await tamper('DELETE FROM audit_event WHERE municipality_id = $1 AND seq = 2', [cityB]);
    await tamper('DELETE FROM audit_event WHERE municipality_id = $1 AND seq = 5', [cityB]);
    const problems = (await verifyAuditChain(t.db)).problems.map((p) => `${p.seq}: ${p.problem}`);
    assert.ok(problems.includes('2: events 2–2 are missing'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('5: the chain ends before its recorded head')), problems.join('\n'));
  });
});
