import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKeyset, encodeKeyset, keysetPage } from './pagination.ts';

const KINDS = ['bool', 'date?', 'timestamp', 'uuid'] as const;
const ID = '0b6f1a52-6a3e-4c52-9a4c-3d1f0d1e2a3b';

describe('keyset cursors', () => {
  it('give back the sort key of the last row, typed, Dates as ISO text', () => {
    const raw = encodeKeyset([true, null, new Date('2026-04-01T00:00:00.000Z'), ID]);
    assert.deepEqual(decodeKeyset(raw, KINDS), [true, null, '2026-04-01T00:00:00.000Z', ID]);
    assert.equal(decodeKeyset(undefined, KINDS), null);
  });

  it('refuse a cursor that is not one of ours, on the cursor field', () => {
    const refusals = [
      'not base64 json',
      encodeKeyset([true, null, '2026-04-01T00:00:00.000Z']), // one value short
      encodeKeyset([true, '2026-13-45', '2026-04-01T00:00:00.000Z', ID]),
      encodeKeyset([null, null, '2026-04-01T00:00:00.000Z', ID]), // null where the kind is not optional
      encodeKeyset([true, null, '2026-04-01T00:00:00.000Z', "x' OR 1=1 --"]),
      encodeKeyset([true, null, 'yesterday', ID]),
      encodeKeyset([true, '2026-02-30', '2026-04-01T00:00:00.000Z', ID]), // not a day of the calendar (the database would fail on it)
      encodeKeyset([true, null, '2026-04-31T00:00:00.000Z', ID]),
      encodeKeyset([true, '0000-01-01', '2026-04-01T00:00:00.000Z', ID]),
      Buffer.from('{"a":1}').toString('base64url'),
    ];
    for (const raw of refusals)
      assert.throws(() => decodeKeyset(raw, KINDS), (e: { status: number; fields: { field: string }[] }) =>
        e.status === 400 && e.fields[0]!.field === 'cursor', raw);
  });

  it('carry a text key (a reference) as written, refusing an empty one or another type', () => {
    assert.deepEqual(decodeKeyset(encodeKeyset([false, 'P2026-00042']), ['bool', 'text']), [false, 'P2026-00042']);
    for (const raw of [encodeKeyset([false, '']), encodeKeyset([false, 42]), encodeKeyset([false, 'P\u0000']), encodeKeyset([false, '\ud800'])])
      assert.throws(() => decodeKeyset(raw, ['bool', 'text']), (e: { status: number }) => e.status === 400, raw);
  });

  it('cut the extra row and point after the last row kept', () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: ID }));
    assert.deepEqual(keysetPage(rows, 3, (r) => [r.n]), { rows, nextCursor: null });
    const page = keysetPage(rows, 2, (r) => [r.n, r.id]);
    assert.deepEqual(page.rows.map((r) => r.n), [1, 2]);
    assert.deepEqual(decodeKeyset(page.nextCursor!, ['int', 'uuid']), [2, ID]);
  });
});
