// Run: node --import tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupSecret, isRecoveryCode, isSixDigitCode, normalizeCode, normalizeRecoveryCode, svgDataUrl } from './secondFactor.ts';

const codes: [string, string, boolean][] = [
  ['123456', '123456', true],
  ['１２３４５６', '123456', true],
  ['123 456', '123456', true],
  ['12345', '12345', false],
  ['12345a', '12345a', false],
  ['', '', false],
];
for (const [typed, sent, ok] of codes) {
  test(`the code typed as ${JSON.stringify(typed)} is sent as ${JSON.stringify(sent)} (${ok ? 'six digits' : 'refused here'})`, () => {
    assert.equal(normalizeCode(typed), sent);
    assert.equal(isSixDigitCode(typed), ok);
  });
}

test('a recovery code is read as printed, in either case and width', () => {
  assert.equal(normalizeRecoveryCode(' ab12c-3d4ef '), 'AB12C-3D4EF');
  assert.equal(normalizeRecoveryCode('ＡＢ１２Ｃ－３Ｄ４ＥＦ'), 'AB12C-3D4EF');
  assert.ok(isRecoveryCode('ab12c-3d4ef'));
  assert.ok(isRecoveryCode('AB12C 3D4EF'));
  assert.ok(!isRecoveryCode('AB12C'));
  assert.ok(!isRecoveryCode('AB12C-3D4E!'));
});

test('the setup key reads in groups of four', () => {
  assert.equal(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  assert.equal(groupSecret('ABCDEF'), 'ABCD EF');
});

test('the QR code becomes a base64 data URL that decodes to the same SVG', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M1 1h7"/></svg>';
  const url = svgDataUrl(svg);
  assert.match(url, /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/);
  assert.equal(Buffer.from(url.split(',')[1]!, 'base64').toString('utf8'), svg);
  assert.equal(Buffer.from(svgDataUrl('<svg>ひ</svg>').split(',')[1]!, 'base64').toString('utf8'), '<svg>ひ</svg>');
});
