import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toJapanese } from './messages.ts';

const root = new URL('..', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'profile.ts' ? [p] : [];
  });

// messages handed to the error helpers, and field messages, as written in the code
const CALL = /\b(?:badRequest|conflict|forbidden|refused|unauthenticated|tooManyRequests\(\w+,)\s*\(?\s*(['`])((?:(?!\1).)*)\1|\bmessage: (['`])((?:(?!\3).)*)\3|new AppError\('\w+', \d+, (['`])((?:(?!\5).)*)\5/g;

test('every message the API gives users has Japanese', () => {
  const missing: string[] = [];
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      const raw = m[2] ?? m[4] ?? m[6];
      if (!raw || /^[a-z_]+$/.test(raw)) continue;
      // a template's placeholders stand for values
      const sample = raw.replace(/\$\{[^}]*\}/g, '1');
      if (toJapanese(sample) === sample) missing.push(`${file.slice(root.length)}: ${raw}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('Japanese is chosen for fixed messages and for messages with values', () => {
  assert.equal(toJapanese('Say why.'), '理由を入力してください。');
  assert.equal(toJapanese('Too many requests. Try again in 42 seconds.'), '短い時間に何度も送信されました。42秒ほど待ってからお試しください。');
  assert.equal(toJapanese('something nobody wrote'), 'something nobody wrote');
});
