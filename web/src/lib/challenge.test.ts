// Run: npx tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { leadingZeroBits, solveChallenge } from './challenge.ts';

test('leading zero bits are counted across bytes', () => {
  assert.equal(leadingZeroBits(new Uint8Array([0x00, 0x00, 0x80])), 16);
  assert.equal(leadingZeroBits(new Uint8Array([0x00, 0x0f])), 12);
  assert.equal(leadingZeroBits(new Uint8Array([0xff])), 0);
  assert.equal(leadingZeroBits(new Uint8Array([0, 0])), 16);
});

test('a solution is one the server accepts: SHA-256 of token:n with enough zero bits', async () => {
  const token = 'municipality.1700000000000.nonce.mac';
  const n = await solveChallenge(token, 12);
  assert.match(n, /^\d+$/);
  assert.ok(leadingZeroBits(createHash('sha256').update(`${token}:${n}`).digest()) >= 12);
});

test('solving stops when the page gives up', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(solveChallenge('t', 30, controller.signal), { name: 'AbortError' });
});
