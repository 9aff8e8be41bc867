import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDb, engine, type TestDb } from './helpers/db.ts';

const exec = promisify(execFile);
const bin = new URL('../bin/tsunagu.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tsunagu-cli-'));
let t: TestDb | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  // on the PostgreSQL run the CLI works on a fresh database of the server; on PGlite in a data directory
  if (engine === 'postgresql') {
    t = await createTestDb({ migrate: false });
    env = { ...process.env, DATABASE_URL: t.url };
  } else {
    env = { ...process.env, TSUNAGU_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
  }
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tsunagu(...args: string[]) {
  try {
    const r = await exec('node', [bin, ...args], { env });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('npx tsunagu', () => {
  test('profile validate names the file, line and key of each problem, in Japanese and English', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'formatVersion: 1\nkind: municipality\nmunicipality:\n  code: "999990"\n  name: 架空市\n  prefecture: 架空県\norganizations:\n  - id: desk\n    name: 窓口\n    kind: office\n    internal: true\n    hub: true\n');
    const r = await tsunagu('profile', 'validate', file);
    assert.equal(r.code, 1);
    assert.match(r.err, /broken\.yaml:10:5 organizations\[0\]\.kind: .*いずれか.* \/ must be equal to one of the allowed values/);
  });

  test('profile validate accepts Musashino', async () => {
    const r = await tsunagu('profile', 'validate', 'profiles/musashino.yaml');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /OK — 武蔵野市 \(132039\): 32 organizations/);
  });

  test('profile import, then user create, then audit verify', async () => {
    const imported = await tsunagu('profile', 'import', 'profiles/musashino.yaml');
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /imported as revision 1/);
    assert.match((await tsunagu('profile', 'import', 'profiles/musashino.yaml')).out, /unchanged, revision 1/);

    const created = await tsunagu('user', 'create', '--login', 'first-admin', '--name', '管理者', '--org', 'livelihood-welfare-section', '--role', 'system_admin');
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /Password \(shown once\): \S{12,}/);
    const unknownOrg = await tsunagu('user', 'create', '--login', 'x-user', '--name', 'x', '--org', 'no-such-org', '--role', 'org_staff');
    assert.equal(unknownOrg.code, 1);
    assert.match(unknownOrg.err, /No active organization "no-such-org"/);

    const verified = await tsunagu('audit', 'verify');
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /Audit trail intact: 3 events in 1 chain/);
  });
});

test('retention purge --dry-run says what would go, and without periods set says nothing is disposed of', async () => {
  const r = await tsunagu('retention', 'purge', '--dry-run');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /No municipality has retention periods set|would be disposed of/);
});
