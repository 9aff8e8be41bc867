import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { verifyAuditChain } from '../audit/service.ts';
import { runRetention } from './service.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2020-06-01T01:00:00Z');
type H = Record<string, string>;
let desk: H;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
  desk = await sign('welfare-desk', 'hub_coordinator');
});
after(async () => {
  await app.close();
  await t.close();
});

async function sign(org: string, role: 'hub_coordinator' | 'system_admin' | 'privacy_officer'): Promise<H> {
  return (await signInAs(app, (await buildUser(t.db, { org, role, clock })).login)).headers;
}
const post = async (h: H, url: string, payload: unknown, status = 201) => {
  const res = await app.inject({ method: 'POST', url, headers: h, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, res.body);
  return res.json();
};

/** A case opened from a consultation, with a contact record, closed now. */
async function closedCase(name: string) {
  const consultation = await post(desk, '/api/consultations', { receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'self', issueTags: [], summary: name, urgency: 'normal' });
  const c = await post(desk, '/api/cases', { person: { name, nameKana: 'ほぞん' }, consultationIds: [consultation.id], household: { members: [{ person: { name: `${name}の母` }, relation: '母' }] } });
  await post(desk, `/api/cases/${c.id}/contact-records`, { occurredAt: clock.now().toISOString(), kind: 'phone', notes: `${name} への電話` });
  await post(desk, `/api/cases/${c.id}/status`, { version: c.version, status: 'closed', closureReason: '終結' }, 200);
  return c;
}
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params)).rows[0].n);

describe('retention', () => {
  test('with no retention periods set, nothing is ever disposed of', async () => {
    await closedCase('期間なし');
    clock.advance(20 * 365 * 86_400_000);
    assert.deepEqual(await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: true }), []);
    assert.ok(await count(`SELECT count(*) AS n FROM person WHERE name = '期間なし'`) === 1);
    clock.set('2020-06-01T01:00:00Z');
  });

  test('periods counted from closure: shorter classes go first, the case and its person when the case period passes, held cases stay', async () => {
    desk = await sign('welfare-desk', 'hub_coordinator');
    const old = await closedCase('古い 事例');
    const held = await closedCase('保全 事例');
    const stale = await post(desk, '/api/consultations', { receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'neighbour', issueTags: [], summary: 'ケースにならなかった相談', urgency: 'normal' });
    clock.advance(2 * 365 * 86_400_000);
    desk = await sign('welfare-desk', 'hub_coordinator');
    const recent = await closedCase('新しい 事例');

    const admin = await sign('livelihood-welfare-section', 'system_admin');
    const put = await app.inject({ method: 'PUT', url: '/api/retention/policies', headers: admin, payload: { items: [
      { recordClass: 'contact_record', years: 3 }, { recordClass: 'case', years: 5 }, { recordClass: 'consultation', years: 5 }, { recordClass: 'audit', years: 5 },
    ] } });
    assert.equal(put.statusCode, 200);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/retention/policies', headers: desk, payload: { items: [{ recordClass: 'case', years: 1 }] } })).statusCode, 403);
    await post(admin, '/api/retention/holds', { caseId: held.id, reason: '訴訟対応のため保全' });

    // four years after the first cases closed: their contact records are past 3 years, the cases not yet past 5
    clock.advance(2 * 365 * 86_400_000);
    let lines = await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: true });
    assert.deepEqual(lines.find((l) => l.recordClass === 'contact_record')?.count, 2, 'the old case’s record and the first test’s');
    assert.equal(await count(`SELECT count(*) AS n FROM contact_record c JOIN support_case s ON s.municipality_id = c.municipality_id AND s.id = c.case_id WHERE s.id = $1`, [held.id]), 1, 'held');
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [old.id]), 1);

    // six years on: the old case, its person, household and consultation go; the held and recent ones stay
    clock.advance(2 * 365 * 86_400_000);
    const dry = await runRetention({ db: t.db, clock }, { dryRun: true, includeAudit: true });
    assert.ok(dry.find((l) => l.recordClass === 'case')!.count >= 1);
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [old.id]), 1, 'a dry run deletes nothing');
    lines = await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: true });
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [old.id]), 0);
    assert.equal(await count(`SELECT count(*) AS n FROM person WHERE name IN ('古い 事例', '古い 事例の母')`), 0, 'the person and the household member in no other case');
    assert.equal(await count(`SELECT count(*) AS n FROM consultation WHERE summary = '古い 事例'`), 0);
    assert.equal(await count(`SELECT count(*) AS n FROM consultation WHERE id = $1`, [stale.id]), 0, 'a consultation that never became a case, inactive for 5 years');
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [held.id]), 1, 'held');
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [recent.id]), 1, 'not yet due');
    assert.ok(await count(`SELECT count(*) AS n FROM disposal_record WHERE record_class = 'case'`) >= 1);
    assert.ok(await count(`SELECT count(*) AS n FROM audit_event WHERE action = 'retention.purge'`) >= 1);
  });

  test('an open request of the person holds their records until it is decided', async () => {
    desk = await sign('welfare-desk', 'hub_coordinator');
    const c = await closedCase('請求 事例');
    const officer = await sign('livelihood-welfare-section', 'privacy_officer');
    const today = new Date(clock.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    const req = await post(officer, '/api/privacy/requests', { kind: 'disclosure', personId: c.person.id, receivedOn: today, requesterRelation: 'self', identityVerification: '運転免許証', content: '私の記録の全部' });
    const admin = await sign('livelihood-welfare-section', 'system_admin');
    const hold = (await app.inject({ url: '/api/retention/holds', headers: admin })).json().items.find((h: { personId: string; releasedAt: string | null }) => h.personId === c.person.id && !h.releasedAt);
    assert.match(hold.reason, new RegExp(req.reference));
    assert.equal((await app.inject({ method: 'POST', url: `/api/retention/holds/${hold.id}/release`, headers: admin, payload: {} })).statusCode, 409, 'only the decision ends it');

    // past the case period (5 years) with the request still open: kept
    clock.advance(6 * 365 * 86_400_000);
    await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: false });
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [c.id]), 1, 'held by the open request');
    const officerNow = await sign('livelihood-welfare-section', 'privacy_officer');
    await post(officerNow, `/api/privacy/requests/${req.id}/decide`, { version: req.version, decision: 'full' }, 200);
    await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: false });
    assert.equal(await count(`SELECT count(*) AS n FROM support_case WHERE id = $1`, [c.id]), 0, 'disposed of once decided');
  });

  test('old audit events are purged behind a checkpoint: what remains still verifies, and tampering is still detected', async () => {
    assert.ok(await count(`SELECT count(*) AS n FROM audit_checkpoint`) >= 1);
    const result = await verifyAuditChain(t.db);
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    const { rows } = await t.db.query<{ municipality_id: string; seq: number }>('SELECT municipality_id, max(seq) AS seq FROM audit_event GROUP BY municipality_id LIMIT 1');
    await t.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
      await tx.query(`UPDATE audit_event SET reason = 'changed' WHERE municipality_id = $1 AND seq = $2`, [rows[0].municipality_id, rows[0].seq]);
      await tx.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    });
    assert.equal((await verifyAuditChain(t.db)).ok, false);
  });
});
