import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { importMusashino, MUSASHINO_ID, musashinoText, orgId, programId } from '../../../test/helpers/factories.ts';
import { FakeClock } from '../../lib/clock.ts';
import { systemActor } from '../../lib/context.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { importProfile } from './importer.ts';
import { parseProfile } from './profile.ts';
import { getOrganization, getProgram, listOrganizations, listPrograms } from './service.ts';

let t: TestDb;
const clock = new FakeClock();
before(async () => {
  t = await createTestDb();
});
after(() => t.close());

const reimport = (text: string) => importProfile({ db: t.db, clock }, systemActor('test'), parseProfile(text, 'musashino.yaml'), text);

describe('profile import', () => {
  test('importing the same profile twice changes nothing the second time', async () => {
    const first = await importMusashino(t.db, clock);
    assert.equal(first.revision, 1);
    assert.equal(first.changes.organization.created, 32);
    const second = await reimport(musashinoText());
    assert.equal(second.unchanged, true);
    assert.equal(second.revision, 1);
    for (const [table, c] of Object.entries(second.changes)) assert.deepEqual(c, { created: 0, updated: 0, deactivated: 0 }, table);
  });

  test('ids come from the profile keys, so they stay the same across imports', async () => {
    const orgs = await listOrganizations(t.db, MUSASHINO_ID);
    assert.equal(orgs.find((o) => o.key === 'welfare-desk')?.id, orgId('welfare-desk'));
  });

  test('an edited profile updates what changed, and what was removed is deactivated but still readable by id', async () => {
    const edited = musashinoText()
      .replace('staffCount: 3', 'staffCount: 4')
      // remove the public lecture program
      .replace(/  - id: public-lecture\n(    .*\n)+/, '')
      // and co-own ひきこもりサポート事業 with the desk
      .replace('owners: [livelihood-welfare-section]\n    commissionedTo: [bunka-gakushu-kyodo-network]', 'owners: [livelihood-welfare-section, welfare-desk]\n    commissionedTo: [bunka-gakushu-kyodo-network]');
    const summary = await reimport(edited);
    assert.equal(summary.revision, 2);
    assert.deepEqual(summary.changes.organization, { created: 0, updated: 1, deactivated: 0 });
    assert.deepEqual(summary.changes.program, { created: 0, updated: 0, deactivated: 1 });
    // the desk's new co-ownership, and the removed lecture's owner link
    assert.deepEqual(summary.changes.program_owner, { created: 1, updated: 0, deactivated: 1 });

    const desk = await getOrganization(t.db, MUSASHINO_ID, orgId('welfare-desk'));
    assert.equal(desk.organization.staffCount, 4);
    assert.ok(!(await listPrograms(t.db, MUSASHINO_ID)).some((p) => p.key === 'public-lecture'));
    const lecture = await getProgram(t.db, MUSASHINO_ID, programId('public-lecture'));
    assert.equal(lecture.active, false);
    assert.equal(lecture.name, 'ひきこもり講演会（市民向け）');

    // putting it back reactivates the same row
    const back = await reimport(musashinoText());
    assert.equal(back.changes.program.updated, 1);
    assert.equal((await getProgram(t.db, MUSASHINO_ID, programId('public-lecture'))).active, true);
    assert.deepEqual(back.changes.program_owner, { created: 0, updated: 1, deactivated: 1 });
  });

  test('every import is kept as a revision with its source text, and audited', async () => {
    const { rows } = await t.db.query<{ revision: number; source_text: string }>(
      'SELECT revision, source_text FROM network_profile_revision WHERE municipality_id = $1 ORDER BY revision', [MUSASHINO_ID]);
    assert.deepEqual(rows.map((r) => r.revision), [1, 2, 3]);
    assert.equal(rows[2].source_text, musashinoText());
    const audit = await t.db.query<{ action: string }>("SELECT action FROM audit_event WHERE action = 'profile.import'");
    assert.equal(audit.rows.length, 4);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });
});

test('the routing rules become a new rule-set version only when the profile changes them', async () => {
  const versions = async () => (await t.db.query<{ version: number; source: string }>(
    'SELECT version, source FROM routing_rule_set WHERE municipality_id = $1 ORDER BY version', [MUSASHINO_ID])).rows;
  assert.deepEqual(await versions(), [{ version: 1, source: 'profile' }]);
  const edited = musashinoText().replace('priority: 41', 'priority: 39');
  assert.deepEqual((await reimport(edited)).changes.routing_rule_set, { created: 0, updated: 1, deactivated: 0 });
  assert.deepEqual((await reimport(edited)).changes.routing_rule_set, { created: 0, updated: 0, deactivated: 0 });
  assert.equal((await versions()).length, 2);
});
