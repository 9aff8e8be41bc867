/**
 * Intake write benchmark: recording a consultation (and its audit event)
 * through the HTTP API, against the same rows inserted with plain SQL on the
 * same database.
 *
 *   node --import tsx bench/intake-write.ts                              # PGlite, musashino size
 *   DATABASE_URL=postgres://… node --import tsx bench/intake-write.ts    # PostgreSQL, tokyo size
 *   node --import tsx bench/intake-write.ts --size small --seconds 3     # a quick look
 *
 * Options: --size, --scale, --seed (for generating the data set when the
 * database is empty), --seconds T per measurement (10), run in --slices N
 * turns that alternate with the peer's (4), --spread K
 * municipalities the writers are spread over (10 for tokyo, else 1),
 * --clients 1,10 (concurrent writers).
 *
 * "api": POST /api/consultations to a real listening server in this process,
 * from concurrent node:http clients in a worker thread (bench/clients.ts),
 * signed in as hub staff. The service checks the
 * input against the municipality's network, numbers the consultation, writes
 * it, its first trail step and its audit event in one transaction, and answers
 * the consultation with its routing suggestions.
 *
 * "direct": the same rows in one transaction with the service's own
 * statement (INSERT_NEW_CONSULTATION: the reference counter, the consultation,
 * the 'received' step) and the audit event through recordAudit (plain SQL too,
 * but it computes the hash chain, which must stay verifiable). No checks, no
 * session, no answer. Twice: with every statement sent as its text, as a
 * plain SQL client sends it ("direct SQL", the goal's peer), and with the
 * statements the service prepares prepared ("direct, prepared").
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { Actor } from '../src/lib/context.ts';
import { recordAudit } from '../src/modules/audit/service.ts';
import { INSERT_NEW_CONSULTATION, newConsultationParams } from '../src/modules/intake/service.ts';
import { runApiFor, stopClients, type ApiCall } from './clients.ts';
import { call, ensureData, figures, inTurns, line, listOption, municipalities, openBenchDb, parseArgs, plainStatements, runFor, signedIn, startServer, type Signed } from './support.ts';

const args = parseArgs();
const seconds = process.argv.includes('--seconds') ? args.seconds : 10;
const clientCounts = listOption('clients', '1,10');

/** What desks record (valid codes of the national vocabularies; made-up summaries). */
const INTAKES = [
  { channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52, issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '息子が長年家から出ない。母の年金で暮らしている。', urgency: 'normal' },
  { channel: 'visit', consulterRelation: 'self', issueTags: ['poverty', 'employment'], mainIssue: 'poverty', summary: '仕事を失い生活費が足りない。', urgency: 'normal' },
  { channel: 'phone', consulterRelation: 'family', consulterDetail: '父', ageBand: { min: 20, max: 29 }, issueTags: ['hikikomori'], summary: '大学をやめてから部屋にこもりがち。', urgency: 'normal' },
  { channel: 'via_organization', consulterRelation: 'organization', issueTags: ['mental_health', 'hikikomori'], cannotVisit: true, summary: '関係機関から。外出できず通院も中断している。', urgency: 'urgent' },
  { channel: 'email', consulterRelation: 'neighbour', issueTags: ['elderly_care', '8050'], summary: '近所の高齢の親子が心配。', urgency: 'normal' },
  { channel: 'visit', consulterRelation: 'family', consulterDetail: 'きょうだい', age: 44, issueTags: ['hikikomori', 'family_relations', 'debt'], summary: '弟が家から出ず、借金もある。', urgency: 'normal' },
] as const;

// ---- set up

const { db, config, label } = await openBenchDb(args);
console.log(`intake-write bench: ${label}, node ${process.version}`);
await ensureData(db, args);
const munis = await municipalities(db, args.spread);
const { app, baseUrl } = await startServer(db, config);
const writers: Signed[] = [];
for (const m of munis) writers.push(await signedIn(db, baseUrl, m, m.hubId, 'hub_coordinator'));
console.log(`writers spread over ${munis.length} municipalit${munis.length === 1 ? 'y' : 'ies'} (each municipality has its own audit chain)`);

const pick = <T,>(xs: readonly T[], i: number) => xs[i % xs.length];

/** The i-th write of a loop: each writer in turn, each kind of intake in turn. */
const intakeCall = (i: number, receivedAt: Date): ApiCall =>
  ({ method: 'POST', path: '/api/consultations', headers: pick(writers, i).headers, body: { receivedAt: receivedAt.toISOString(), ...pick(INTAKES, i) }, status: 201 });
const apiCalls = () => Array.from({ length: writers.length * INTAKES.length }, (_, i) => intakeCall(i, new Date()));

async function viaApi(i: number): Promise<void> {
  const c = intakeCall(i, new Date());
  const res = await call(baseUrl, c.method, c.path, c.headers, c.body);
  if (res.status !== c.status) throw new Error(`POST /api/consultations: ${res.status} ${res.text.slice(0, 200)}`);
}

const plainDb = plainStatements(db);

async function direct(db: Db, i: number): Promise<void> {
  const w = pick(writers, i);
  const input = pick(INTAKES, i);
  const mid = w.municipality.mid;
  const door = w.organizationId;
  const actor: Actor = { userId: null, login: 'bench', municipalityId: mid, organizationId: door, role: 'hub_coordinator' };
  const now = new Date();
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(INSERT_NEW_CONSULTATION, newConsultationParams(mid, id, door, now, { ...input, issueTags: [...input.issueTags], receivedAt: now.toISOString() }, 'staff', null, now));
    await recordAudit(tx, systemClock, actor, { action: 'consultation.create', entityType: 'consultation', entityId: id, reason: 'recorded (bench, direct SQL)' });
  });
}

// warm up both paths
for (let i = 0; i < 30; i++) {
  await viaApi(i);
  await direct(plainDb, i);
  await direct(db, i);
}

console.log(`${seconds} s per measurement, in ${args.slices} turns alternating with the peers'`);
for (const clients of clientCounts) {
  const [a, d, dp] = (await inTurns(args.slices, [
    () => runApiFor(baseUrl, clients, seconds / args.slices, apiCalls()),
    () => runFor(clients, seconds / args.slices, (i) => direct(plainDb, i)),
    () => runFor(clients, seconds / args.slices, (i) => direct(db, i)),
  ])).map(figures);
  console.log(`${clients} concurrent writer${clients === 1 ? '' : 's'}:`);
  console.log(`  api:               ${Math.round(a.perSecond)} writes/s — ${line(a)}`);
  console.log(`  direct SQL:        ${Math.round(d.perSecond)} writes/s — ${line(d)}`);
  console.log(`  direct, prepared:  ${Math.round(dp.perSecond)} writes/s — ${line(dp)}`);
  console.log(`  ratio api/direct: ${(a.perSecond / d.perSecond).toFixed(2)}x; api/(direct, prepared): ${(a.perSecond / dp.perSecond).toFixed(2)}x`);
}

await stopClients();
await app.close();
await db.close();
