import { setTimeout as sleep } from 'node:timers/promises';
import { api, freePort, freshTarget, readWithRetry, seed, signIn, startServer, type Client } from './harness.ts';

/**
 * Crash safety. A load of consultations, contact records and referrals is
 * written through the HTTP API while the server is killed with SIGKILL at a
 * random moment; after each restart every write the server acknowledged must
 * be there, whole, and the audit chain must verify.
 *
 *   node --import tsx reliability/crash.ts pglite 100
 *   node --import tsx reliability/crash.ts postgresql 100   (TEST_DATABASE_URL or the local server)
 */

export interface CrashReport {
  engine: string;
  cycles: number;
  acknowledged: number;
  found: number;
  lost: number;
  incomplete: number;
  auditOk: boolean;
  maxRestartMs: number;
}

interface Acked {
  kind: 'consultation' | 'contact' | 'referral';
  id: string;
  caseId?: string;
}

async function writeLoad(c: Client, caseId: string, programId: string, acked: Acked[], stop: { now: boolean }) {
  let n = 0;
  while (!stop.now) {
    n++;
    try {
      const kind = n % 3;
      if (kind === 0) {
        const r = await api<{ id: string }>(c, 'POST', '/api/consultations', {
          receivedAt: new Date().toISOString(), channel: 'phone', consulterRelation: 'family', issueTags: ['hikikomori'], summary: `crash-test ${n}`, urgency: 'normal',
        });
        if (r.status === 201) acked.push({ kind: 'consultation', id: r.body.id });
      } else if (kind === 1) {
        const r = await api<{ id: string }>(c, 'POST', `/api/cases/${caseId}/contact-records`, { occurredAt: new Date().toISOString(), kind: 'phone', notes: `crash-test ${n}` });
        if (r.status === 201) acked.push({ kind: 'contact', id: r.body.id, caseId });
      } else {
        const r = await api<{ id: string }>(c, 'POST', `/api/cases/${caseId}/referrals`, {
          toProgramId: programId, reason: 'crash-test', sharedSummary: `crash-test ${n}`, urgency: 'normal', firstContactDue: '2099-12-31',
          legalBasis: { basis: 'appi_69_2', paragraph: 3, reason: 'crash-test' },
        });
        if (r.status === 201) acked.push({ kind: 'referral', id: r.body.id, caseId });
      }
    } catch {
      // the server died mid-request: not acknowledged, so nothing is owed
    }
  }
}

export async function runCrashCycles(engine: 'pglite' | 'postgresql', cycles: number, opts: { pgUrl?: string; log?: (s: string) => void } = {}): Promise<CrashReport> {
  const log = opts.log ?? (() => {});
  const target = freshTarget(engine, opts.pgUrl);
  const acked: Acked[] = [];
  const report: CrashReport = { engine, cycles: 0, acknowledged: 0, found: 0, lost: 0, incomplete: 0, auditOk: true, maxRestartMs: 0 };
  try {
    seed(target);
    let server = await startServer(target, freePort());
    let desk = await signIn(server.url, 'rel-desk');
    const caseRes = await api<{ id: string }>(desk, 'POST', '/api/cases', { person: { name: '耐障害 試験', nameKana: 'たいしょうがい しけん' } });
    const caseId = caseRes.body.id;
    const network = await api<{ programs: { id: string; key: string }[] }>(desk, 'GET', '/api/network');
    const programId = network.body.programs.find((p) => p.key === 'work-readiness-support')!.id;

    for (let cycle = 1; cycle <= cycles; cycle++) {
      const stop = { now: false };
      const writers = Array.from({ length: 4 }, () => writeLoad(desk, caseId, programId, acked, stop));
      await sleep(300 + Math.random() * 1200);
      server.proc.kill('SIGKILL');
      await server.exited;
      stop.now = true;
      await Promise.all(writers);

      server = await startServer(target, freePort());
      report.maxRestartMs = Math.max(report.maxRestartMs, server.startMs);
      desk = await signIn(server.url, 'rel-desk');
      // every acknowledged write is there, and whole
      const consultations = acked.filter((a) => a.kind === 'consultation');
      const records = await readWithRetry<{ items: { id: string }[] }>(desk, `/api/cases/${caseId}/contact-records`);
      const recordIds = new Set(records.body.items.map((r) => r.id));
      const referrals = { status: 200, body: { items: [] as { id: string; history: unknown[] }[] } };
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page: { status: number; body: { items: { id: string; history: unknown[] }[]; nextCursor: string | null } } =
          await readWithRetry(desk, `/api/referrals?box=outgoing&caseId=${caseId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        if (page.status !== 200) referrals.status = page.status;
        referrals.body.items.push(...(page.body.items ?? []));
        cursor = page.body.nextCursor ?? null;
      }
      const referralById = new Map(referrals.body.items.map((r) => [r.id, r]));
      let found = 0;
      let incomplete = 0;
      for (const a of consultations) {
        const r = await readWithRetry<{ steps: unknown[] }>(desk, `/api/consultations/${a.id}`);
        if (r.status === 200) {
          found++;
          if (r.body.steps.length === 0) incomplete++;
        }
      }
      for (const a of acked.filter((x) => x.kind === 'contact')) if (recordIds.has(a.id)) found++;
      for (const a of acked.filter((x) => x.kind === 'referral')) {
        const r = referralById.get(a.id);
        if (r) {
          found++;
          if (r.history.length === 0) incomplete++;
        }
      }
      // a referral row without its history would be half-written; so would an event without its referral
      for (const r of referrals.body.items) if (r.history.length === 0) incomplete++;
      const auditor = await signIn(server.url, 'rel-auditor');
      const audit = await readWithRetry<{ ok: boolean; events: number }>(auditor, '/api/audit/verification');
      report.cycles = cycle;
      report.acknowledged = acked.length;
      report.found = found;
      report.lost = acked.length - found;
      report.incomplete = incomplete;
      report.auditOk &&= audit.body.ok;
      const lostIds = acked.filter((a) => (a.kind === 'contact' ? !recordIds.has(a.id) : a.kind === 'referral' ? !referralById.has(a.id) : false));
      if (records.status !== 200 || referrals.status !== 200) throw new Error(`could not read back: ${records.status} ${referrals.status}`);
      log(`cycle ${cycle}: acknowledged ${acked.length}, found ${found}, lost ${acked.length - found}${lostIds.length ? ` (${lostIds.map((l) => `${l.kind}:${l.id}`).slice(0, 5).join(', ')})` : ''}, incomplete ${incomplete}, audit ${audit.body.ok ? 'ok' : 'BROKEN'} (${audit.body.events} events), restart ${server.startMs} ms`);
      if (report.lost > 0 || incomplete > 0 || !audit.body.ok) break;
    }
    server.proc.kill('SIGTERM');
    await server.exited;
  } finally {
    target.cleanup();
  }
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const engine = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgresql';
  const cycles = Number(process.argv[3] ?? 100);
  const report = await runCrashCycles(engine, cycles, { pgUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', log: console.log });
  console.log(JSON.stringify(report));
  process.exit(report.lost === 0 && report.incomplete === 0 && report.auditOk ? 0 : 1);
}
