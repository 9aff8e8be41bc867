import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { loadMigrations, migrate, type Migration } from './migrate.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb({ migrate: false });
});
after(() => t.close());

const tables = async () =>
  (await t.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  )).rows.map((r) => r.table_name);

describe('migrations', () => {
  test('each module keeps its migrations; they apply in number order and are recorded', async () => {
    const all = await loadMigrations();
    assert.deepEqual(all.slice(0, 3).map((m) => m.name), ['network/network', 'auth/auth', 'audit/audit']);
    const applied = await migrate(t.db);
    assert.equal(applied.length, all.length);
    const { rows } = await t.db.query<{ version: number }>('SELECT version FROM schema_migration ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), all.map((m) => m.version));
    assert.deepEqual(await migrate(t.db), [], 'a second run applies nothing');
  });

  test('a failing migration leaves the schema as it was and says which one failed', async () => {
    const before = await tables();
    const broken: Migration = {
      version: 9999, name: 'test/broken', checksum: 'x',
      sql: 'CREATE TABLE half_done (id int); ALTER TABLE no_such_table ADD COLUMN x int;',
    };
    await assert.rejects(migrate(t.db, { migrations: [...(await loadMigrations()), broken] }), /Migration 9999 \(test\/broken\) failed and was rolled back/);
    assert.deepEqual(await tables(), before);
    const { rows } = await t.db.query('SELECT 1 FROM schema_migration WHERE version = 9999');
    assert.equal(rows.length, 0);
  });

  test('an applied migration that was edited afterwards is refused', async () => {
    const all = await loadMigrations();
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await assert.rejects(migrate(t.db, { migrations: edited }), /was changed after it was applied/);
  });

  test('every tenant-owned table leads its primary key with municipality_id', async () => {
    const { rows } = await t.db.query<{ table_name: string; first_column: string }>(`
      SELECT tc.table_name, kcu.column_name AS first_column
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.ordinal_position = 1
      WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
        AND EXISTS (SELECT 1 FROM information_schema.columns c
                    WHERE c.table_schema = 'public' AND c.table_name = tc.table_name AND c.column_name = 'municipality_id')`);
    assert.ok(rows.length >= 10);
    for (const r of rows) {
      // user_session carries the acting municipality but is keyed by its token, like app_user it is platform-wide
      if (r.table_name === 'user_session') continue;
      assert.equal(r.first_column, 'municipality_id', r.table_name);
    }
  });
});

test('an upgrade keeps the data: migrate to an earlier version, fill it, apply the rest', async () => {
  const { createTestDb } = await import('../../test/helpers/db.ts');
  const { importMusashino, MUSASHINO_ID, orgId } = await import('../../test/helpers/factories.ts');
  const old = await createTestDb({ migrate: false });
  try {
    const all = await loadMigrations();
    // the foundation and intake as they first shipped, with rows written as that version wrote them
    // (today's importer writes columns later migrations add)
    await migrate(old.db, { upTo: 4 });
    await old.db.query(`INSERT INTO municipality (id, code, kind, name, prefecture_name) VALUES ($1, '132039', 'municipality', '武蔵野市', '東京都')`, [MUSASHINO_ID]);
    await old.db.query(`INSERT INTO organization (municipality_id, id, key, name, kind, internal, hub) VALUES ($1, $2, 'welfare-desk', '福祉総合相談窓口', 'internal_section', true, true)`,
      [MUSASHINO_ID, orgId('welfare-desk')]);
    await old.db.query(
      `INSERT INTO consultation (municipality_id, id, reference, received_at, door_organization_id, channel, consulter_relation, issue_tags, summary, urgency, source, status, holder_organization_id, created_at, updated_at)
       SELECT $1, gen_random_uuid(), '2026-00001', now(), id, 'phone', 'self', '{hikikomori}', '移行前の相談', 'normal', 'staff', 'triage', id, now(), now()
       FROM organization WHERE municipality_id = $1 AND hub`, [MUSASHINO_ID]);
    const applied = await migrate(old.db);
    assert.deepEqual(applied.map((m) => m.version), all.filter((m) => m.version > 4).map((m) => m.version));
    const { rows } = await old.db.query<{ summary: string }>('SELECT summary FROM consultation');
    assert.deepEqual(rows.map((r) => r.summary), ['移行前の相談']);
    // and the profile imports over what was there, keeping the consultation's door
    await importMusashino(old.db);
    assert.equal((await old.db.query('SELECT 1 FROM organization')).rows.length, 32);
    assert.equal((await old.db.query('SELECT 1 FROM consultation c JOIN organization o ON o.municipality_id = c.municipality_id AND o.id = c.door_organization_id AND o.hub')).rows.length, 1);
  } finally {
    await old.close();
  }
});

test("one module's migrations alone (the public side's store) keep their numbers and checksums", async () => {
  const { createTestDb } = await import('../../test/helpers/db.ts');
  const store = await createTestDb({ migrate: false });
  try {
    const all = await loadMigrations();
    const publicOnes = all.filter((m) => m.name.startsWith('public/'));
    assert.ok(publicOnes.length >= 2);
    assert.deepEqual((await migrate(store.db, { modules: ['public'] })).map((m) => m.name), publicOnes.map((m) => m.name));
    assert.deepEqual(await migrate(store.db, { modules: ['public'] }), [], 'a second run applies nothing');
    const { rows } = await store.db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migration ORDER BY version');
    assert.deepEqual(rows, publicOnes.map((m) => ({ version: m.version, checksum: m.checksum })));
    const tables = (await store.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.table_name);
    assert.ok(!tables.includes('support_case') && !tables.includes('audit_event') && !tables.includes('app_user'));
  } finally {
    await store.close();
  }
});
