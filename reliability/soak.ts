import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, freePort, freshTarget, seed, signIn, startServer, type Client, type Server } from './harness.ts';

/**
 * Sustained mixed load on two instances behind a small round-robin proxy,
 * one instance restarted halfway (SIGTERM, then started again). Clients retry
 * 503s after their Retry-After; afterwards every acknowledged write must be
 * there. Prints counts by status and latency percentiles.
 *
 *   node --import tsx reliability/soak.ts 600 50     (seconds, clients; TEST_DATABASE_URL or the local server)
 */

export interface SoakReport {
  seconds: number;
  clients: number;
  requests: number;
  byStatus: Record<string, number>;
  errors5xx: number;
  unavailable503: number;
  /** 503s that came without a Retry-After header (must be 0). */
  withoutRetryAfter: number;
  retried: number;
  writesAcknowledged: number;
  writesFound: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Round-robin over the backends that answer; a refused connection goes to the next one, as a load balancer would. */
function startProxy(backends: () => string[], port: number): http.Server {
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = backends();
      const attempt = (tries: number) => {
        const target = new URL(list[next++ % list.length]);
        const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => {
          if (tries < list.length) attempt(tries + 1);
          else {
            res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
            res.end('{"error":"no backend","code":"unavailable","fields":[]}');
          }
        });
        up.end(body);
      };
      attempt(1);
    });
  });
  server.listen(port, '127.0.0.1');
  return server;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function runSoak(seconds: number, clients: number, pgUrl: string, log: (s: string) => void = () => {}): Promise<SoakReport> {
  const target = freshTarget('postgresql', pgUrl);
  const servers: (Server & { port: number })[] = [];
  let proxy: http.Server | undefined;
  try {
    seed(target);
    for (let i = 0; i < 2; i++) servers.push(await startServer(target, freePort()));
    const proxyPort = await freePort();
    proxy = startProxy(() => servers.map((s) => s.url), proxyPort);
    const base = `http://127.0.0.1:${proxyPort}`;
    const desk: Client = await signIn(base, 'rel-desk');
    const c = await api<{ id: string }>(desk, 'POST', '/api/cases', { person: { name: '負荷 試験', nameKana: 'ふか しけん' } });
    const caseId = c.body.id;

    const report: SoakReport = { seconds, clients, requests: 0, byStatus: {}, errors5xx: 0, unavailable503: 0, withoutRetryAfter: 0, retried: 0, writesAcknowledged: 0, writesFound: 0, p50: 0, p95: 0, p99: 0 };
    const latencies: number[] = [];
    const acked: string[] = [];
    const end = Date.now() + seconds * 1000;
    let restarted = false;

    const one = async (n: number) => {
      const kind = n % 10;
      const req = kind < 2
        ? () => api<{ id: string }>(desk, 'POST', '/api/consultations', { receivedAt: new Date().toISOString(), channel: 'phone', consulterRelation: 'self', issueTags: ['hikikomori'], summary: `soak ${n}`, urgency: 'normal' })
        : kind < 3
          ? () => api<{ id: string }>(desk, 'POST', `/api/cases/${caseId}/contact-records`, { occurredAt: new Date().toISOString(), kind: 'phone', notes: `soak ${n}` })
          : kind < 6 ? () => api(desk, 'GET', '/api/consultations?limit=20') : kind < 8 ? () => api(desk, 'GET', `/api/cases/${caseId}`) : () => api(desk, 'GET', '/api/network');
      for (let attempt = 0; attempt < 5; attempt++) {
        const t0 = performance.now();
        let status: number;
        let body: unknown;
        let retryAfter = 1;
        try {
          const r = await req();
          status = r.status;
          body = r.body;
          retryAfter = Number(r.headers.get('retry-after') ?? 1);
          if (r.status === 503 && !r.headers.get('retry-after')) report.withoutRetryAfter++;
        } catch {
          status = 0; // connection cut by the restart
        }
        latencies.push(performance.now() - t0);
        report.requests++;
        report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
        if (status >= 500 && status !== 503) report.errors5xx++;
        if (status === 503) report.unavailable503++;
        if (status === 201) acked.push((body as { id: string }).id);
        if (status !== 503 && status !== 0) return;
        report.retried++;
        await sleep(Math.min(retryAfter, 2) * 200);
      }
    };

    const worker = async (w: number) => {
      for (let n = w; Date.now() < end; n += clients) await one(n);
    };
    const workers = Array.from({ length: clients }, (_, w) => worker(w));
    await sleep((seconds * 1000) / 2);
    log('restarting instance 1 of 2 (SIGTERM, then start again)');
    servers[0].proc.kill('SIGTERM');
    await servers[0].exited;
    servers[0] = { ...(await startServer(target, servers[0].port)), port: servers[0].port };
    restarted = true;
    await Promise.all(workers);

    // every acknowledged write is there
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(desk, 'GET', `/api/consultations?organizationId=all&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      page.body.items.forEach((i) => found.add(i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const records = await api<{ items: { id: string }[] }>(desk, 'GET', `/api/cases/${caseId}/contact-records`);
    records.body.items.forEach((r) => found.add(r.id));
    report.writesAcknowledged = acked.length;
    report.writesFound = acked.filter((id) => found.has(id)).length;
    const sorted = latencies.sort((a, b) => a - b);
    report.p50 = Math.round(percentile(sorted, 50));
    report.p95 = Math.round(percentile(sorted, 95));
    report.p99 = Math.round(percentile(sorted, 99));
    if (!restarted) throw new Error('the restart did not happen');
    return report;
  } finally {
    for (const s of servers) {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
    proxy?.close();
    target.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? 600);
  const clients = Number(process.argv[3] ?? 50);
  const report = await runSoak(seconds, clients, process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', console.log);
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.errors5xx === 0 && report.withoutRetryAfter === 0 && report.writesFound === report.writesAcknowledged ? 0 : 1);
}
