// Run: node --import tsx --test web/src/lib/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSupportsPasskeys, ceremonyProblem, isPasskeyName, passkeyName } from './passkeys.ts';

const named = (name: string) => Object.assign(new Error('x'), { name });

const problems: [unknown, ReturnType<typeof ceremonyProblem>][] = [
  [named('NotAllowedError'), 'cancelled'],
  [named('AbortError'), 'cancelled'],
  [named('InvalidStateError'), 'alreadyRegistered'],
  [named('SecurityError'), 'wrongSite'],
  [named('NotSupportedError'), 'failed'],
  [named('ApiError'), null],
  ['a string', null],
];
for (const [error, expected] of problems) {
  test(`a ceremony that failed with ${error instanceof Error ? error.name : JSON.stringify(error)} is read as ${expected}`, () => {
    assert.equal(ceremonyProblem(error), expected);
  });
}

test('passkeys are offered only where the browser has PublicKeyCredential', () => {
  assert.equal(browserSupportsPasskeys({ PublicKeyCredential: function PublicKeyCredential() {} }), true);
  assert.equal(browserSupportsPasskeys({}), false);
});

test('a passkey name is trimmed and between 1 and 60 characters', () => {
  assert.equal(passkeyName('  青いキー '), '青いキー');
  assert.equal(isPasskeyName('   '), false);
  assert.equal(isPasskeyName('あ'.repeat(60)), true);
  assert.equal(isPasskeyName('あ'.repeat(61)), false);
});
