import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openPglite } from '../../db/index.ts';
import { migrate } from '../../db/migrate.ts';
import { createTestDb, engine, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importHoshino, importMusashino, signInAs } from '../../../test/helpers/factories.ts';
import { FakeClock } from '../../lib/clock.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { backup, contentHashes, restore } from './backup.ts';

const KEY = 'a test backup key of enough length';
const dir = mkdtempSync(join(tmpdir(), 'tsunagu-backup-'));
const clock = new FakeClock('2026-06-01T01:00:00Z');
let source: TestDb;

before(async () => {
  source = await createTestDb();
  await importMusashino(source.db, clock);
  await importHoshino(source.db, clock);
  const app = await buildTestApp(source.db, { clock });
  const h = (await signInAs(app, (await buildUser(source.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
  for (let i = 0; i < 5; i++) {
    const c = await app.inject({ method: 'POST', url: '/api/cases', headers: h, payload: { person: { name: `復元 ${i}郎`, nameKana: `ふくげん ${i}`, birthDate: '1970-01-01' }, household: { members: [{ person: { name: `親 ${i}` }, relation: '母' }] } } });
    assert.equal(c.statusCode, 201);
    await app.inject({ method: 'POST', url: `/api/cases/${c.json().id}/contact-records`, headers: h, payload: { occurredAt: '2026-05-30T10:00:00+09:00', kind: 'phone', notes: `電話 ${i}` } });
  }
  await app.close();
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  test('a restore into a fresh database has the same rows and content as the source, and the audit chain verifies', async () => {
    const file = join(dir, 'same.backup');
    const header = await backup(source.db, clock, file, KEY);
    assert.ok(header.tables.find((t) => t.name === 'person')!.rows >= 10);
    const target = await createTestDb({ migrate: false });
    try {
      const result = await restore(target.db, clock, file, KEY);
      assert.equal(result.rows, header.tables.reduce((n, t) => n + t.rows, 0));
      const [a, b] = [await contentHashes(source.db), await contentHashes(target.db)];
      // the restore itself is audited, so the audit tables differ by that one event
      for (const t of Object.keys(a).filter((t) => !t.startsWith('audit_'))) assert.deepEqual(b[t], a[t], t);
      assert.equal(b.audit_event.rows, a.audit_event.rows + 1);
      assert.equal((await verifyAuditChain(target.db)).ok, true);
    } finally {
      await target.close();
    }
  });

  test('the backup is encrypted: the file holds no readable personal data, and a wrong key is refused', async () => {
    const file = join(dir, 'enc.backup');
    await backup(source.db, clock, file, KEY);
    const bytes = readFileSync(file);
    assert.ok(!bytes.includes(Buffer.from('復元')) && !bytes.includes(Buffer.from('福祉総合相談窓口')));
    const target = await openPglite();
    try {
      await assert.rejects(restore(target, clock, file, 'the wrong key, long enough'), /wrong TSUNAGU_BACKUP_KEY|damaged/);
    } finally {
      await target.close();
    }
  });

  test('a damaged file is refused', async () => {
    const file = join(dir, 'bad.backup');
    await backup(source.db, clock, file, KEY);
    const bytes = readFileSync(file);
    bytes[bytes.length - 40] ^= 0xff;
    writeFileSync(file, bytes);
    const target = await openPglite();
    try {
      await assert.rejects(restore(target, clock, file, KEY));
      const tables = await target.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'person'");
      if (tables.rows.length) assert.equal((await target.query<{ n: number }>('SELECT count(*) AS n FROM person')).rows[0].n, 0, 'nothing half-restored');
    } finally {
      await target.close();
    }
  });

  test('a database that holds data is not overwritten without force', async () => {
    const file = join(dir, 'force.backup');
    await backup(source.db, clock, file, KEY);
    const target = await createTestDb();
    try {
      await importMusashino(target.db, clock);
      await assert.rejects(restore(target.db, clock, file, KEY), /not empty/);
      await restore(target.db, clock, file, KEY, { force: true });
      assert.equal((await target.db.query<{ n: number }>('SELECT count(*) AS n FROM person')).rows[0].n, 10);
    } finally {
      await target.close();
    }
  });

  test('a backup from the embedded database restores into PostgreSQL, so a city can move to a server', { skip: engine !== 'postgresql' ? 'runs in the PostgreSQL pass' : false }, async () => {
    const lite = await openPglite();
    const target = await createTestDb({ migrate: false });
    const file = join(dir, 'cross.backup');
    try {
      await migrate(lite);
      await importMusashino(lite, clock);
      await backup(lite, clock, file, KEY);
      await restore(target.db, clock, file, KEY);
      const [a, b] = [await contentHashes(lite), await contentHashes(target.db)];
      for (const t of Object.keys(a).filter((t) => !t.startsWith('audit_'))) assert.deepEqual(b[t], a[t], t);
      assert.equal((await verifyAuditChain(target.db)).ok, true);
    } finally {
      await lite.close();
      await target.close();
    }
  });
});
