import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { prepared } from './index.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb({ migrate: false });
});
after(() => t.close());

describe('prepared statements', () => {
  test('a statement whose result is * is refused: an older instance would fail once a release adds a column', () => {
    for (const text of ['SELECT * FROM t WHERE id = $1', 'select t.* from t', 'INSERT INTO t (id) VALUES ($1) RETURNING *', 'SELECT DISTINCT * FROM t'])
      assert.throws(() => prepared('star', text), /name its result columns instead of \*/, text);
    assert.doesNotThrow(() => prepared('count', 'SELECT count(*) AS n FROM t'));
  });

  test('a name stands for one text: a second statement under it is refused', () => {
    assert.doesNotThrow(() => prepared('count', 'SELECT count(*) AS n FROM t'));
    assert.throws(() => prepared('count', 'SELECT count(*) AS n FROM u'), /exists with another text/);
  });

  test('answers like the plain statement, in and out of a transaction, and still does after a column is added', async () => {
    await t.db.exec('CREATE TABLE prepared_probe (id int PRIMARY KEY, name text)');
    await t.db.query("INSERT INTO prepared_probe VALUES (1, 'いち'), (2, 'に')");
    const byId = prepared('prepared_probe_by_id', 'SELECT id, name FROM prepared_probe WHERE id = $1');
    for (let i = 0; i < 7; i++) assert.deepEqual((await t.db.query(byId, [1 + (i % 2)])).rows, [{ id: 1 + (i % 2), name: i % 2 ? 'に' : 'いち' }]);
    await t.db.transaction(async (tx) => {
      assert.deepEqual((await tx.query(byId, [2])).rows, [{ id: 2, name: 'に' }]);
    });
    await t.db.exec('ALTER TABLE prepared_probe ADD COLUMN added_later int');
    assert.deepEqual((await t.db.query(byId, [1])).rows, [{ id: 1, name: 'いち' }]);
    assert.deepEqual((await t.db.query(byId, [3])).rows, []);
    if (t.db.engine === 'pglite') {
      // one session: the statement is kept there, parsed once
      const { rows } = await t.db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE name = $1', ['prepared_probe_by_id']);
      assert.deepEqual(rows, [{ statement: byId.text }]);
    }
  });

  test('values go in and come out as with the plain statement: dates, times, arrays, JSON, counts, nulls', async () => {
    await t.db.exec('CREATE TABLE prepared_types (id int PRIMARY KEY, born date, at timestamptz, tags text[], details jsonb, note text)');
    const put = prepared('prepared_types_put', 'INSERT INTO prepared_types VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, born, at, tags, details, note');
    const at = new Date('2026-04-01T09:30:00Z');
    const row = { id: 1, born: '1974-05-06', at, tags: ['ひきこもり', '8050'], details: { door: '福祉総合相談窓口' }, note: null };
    assert.deepEqual((await t.db.query(put, [1, row.born, at, row.tags, JSON.stringify(row.details), null])).rows, [row]);
    assert.deepEqual((await t.db.query('SELECT id, born, at, tags, details, note FROM prepared_types')).rows, [row]);
    const count = prepared('prepared_types_count', 'SELECT count(*) AS n FROM prepared_types WHERE tags @> $1::text[]');
    assert.deepEqual((await t.db.query(count, [['8050']])).rows, [{ n: 1 }]);
    const touch = prepared('prepared_types_touch', 'UPDATE prepared_types SET note = $2 WHERE id = $1');
    assert.equal((await t.db.query(touch, [1, '確認済み'])).rowCount, 1);
    assert.equal((await t.db.query(touch, [2, '確認済み'])).rowCount, 0);
  });

  test('a refused statement throws the database error, and the connection goes on', async () => {
    const put = prepared('prepared_types_put_again', 'INSERT INTO prepared_types (id) VALUES ($1) RETURNING id');
    await assert.rejects(t.db.query(put, [1]), (err: { code?: string }) => err.code === '23505');
    await assert.rejects(t.db.transaction((tx) => tx.query(put, [1])), (err: { code?: string }) => err.code === '23505');
    assert.deepEqual((await t.db.query(put, [3])).rows, [{ id: 3 }]);
    const broken = prepared('prepared_broken', 'SELECT id FROM no_such_table WHERE id = $1');
    await assert.rejects(t.db.query(broken, [1]), (err: { code?: string }) => err.code === '42P01');
    await t.db.exec('CREATE TABLE no_such_table (id int)');
    assert.deepEqual((await t.db.query(broken, [1])).rows, []);
  });

  test('a statement first used in a transaction that is rolled back is still there afterwards', async () => {
    const firstInRollback = prepared('prepared_probe_names', 'SELECT name FROM prepared_probe ORDER BY id');
    await assert.rejects(t.db.transaction(async (tx) => {
      assert.equal((await tx.query(firstInRollback)).rows.length, 2);
      throw new Error('changed my mind');
    }), /changed my mind/);
    assert.deepEqual((await t.db.query(firstInRollback)).rows, [{ name: 'いち' }, { name: 'に' }]);
  });

  test('statements sent at once, in and out of transactions, each get their own answer', async () => {
    const byId = prepared('prepared_probe_by_id', 'SELECT id, name FROM prepared_probe WHERE id = $1');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => i % 4 === 0
      ? t.db.transaction(async (tx) => (await tx.query(byId, [1 + (i % 2)])).rows)
      : t.db.query(byId, [1 + (i % 2)]).then((r) => r.rows)));
    answers.forEach((rows, i) => assert.deepEqual(rows, [{ id: 1 + (i % 2), name: i % 2 ? 'に' : 'いち' }]));
  });
});
