import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPostgres, type Db } from '../../db/index.ts';
import { createTestDb, engine, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, signInAs } from '../../../test/helpers/factories.ts';
import { FakeClock } from '../../lib/clock.ts';
import { verifyAuditChain } from './service.ts';

// On PostgreSQL the app serves as a member of tsunagu_app: it writes audit
// rows but can neither change nor remove them, nor switch off the guard.
const skip = engine !== 'postgresql' ? 'database roles: runs in the PostgreSQL pass' : false;

let owner: TestDb;
let app: Db;
const clock = new FakeClock('2026-06-01T01:00:00Z');

before(async () => {
  if (skip) return;
  owner = await createTestDb();
  await owner.db.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_test_app') THEN CREATE ROLE tsunagu_test_app LOGIN IN ROLE tsunagu_app; END IF;
  END $$`);
  const url = new URL(owner.url!);
  url.username = 'tsunagu_test_app';
  app = await openPostgres(url.toString());
});
after(async () => {
  await app?.close();
  await owner?.close();
});

test('the application role does its work, and cannot alter or remove the audit trail', { skip }, async () => {
  await importMusashino(app, clock);
  const server = await buildTestApp(app, { clock });
  try {
    const h = (await signInAs(server, (await buildUser(app, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
    const res = await server.inject({ method: 'POST', url: '/api/consultations', headers: h, payload: { receivedAt: '2026-05-31T10:00:00+09:00', channel: 'phone', consulterRelation: 'self', issueTags: [], summary: '役割テスト', urgency: 'normal' } });
    assert.equal(res.statusCode, 201);
  } finally {
    await server.close();
  }
  await assert.rejects(app.query("UPDATE audit_event SET reason = 'x'"), /permission denied/);
  await assert.rejects(app.query('DELETE FROM audit_event'), /permission denied/);
  await assert.rejects(app.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only'), /must be owner/);
  await assert.rejects(app.query('TRUNCATE audit_event'), /permission denied/);
  assert.equal((await verifyAuditChain(app)).ok, true);
});
