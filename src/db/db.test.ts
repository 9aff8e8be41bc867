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
  });
});
