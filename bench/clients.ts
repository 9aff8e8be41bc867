/**
 * API clients in a worker thread of their own, as browsers are processes of
 * their own: the server under test then has its event loop to itself, as the
 * direct-SQL peer it is compared with has. Not a benchmark itself.
 *
 * The parent calls runApiFor(); the worker (this file again, under
 * worker_threads) runs the loops and answers with every latency.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

/** One API call and the status that counts as success. */
export interface ApiCall {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  status: number;
}

export interface Run {
  latencies: number[];
  errors: number;
  firstError: string | null;
  ms: number;
  /** CPU time the machine spent meanwhile, every core and process (server, clients, database), ms. */
  machineCpuMs: number;
  /** Time the main thread's event loop was busy meanwhile (where the server runs, in the API peer), ms. */
  mainThreadMs: number;
}

export const CORES = availableParallelism();

/** The machine's busy CPU time so far, ms: /proc/stat's time in every state but idle and iowait (USER_HZ 100). */
function machineBusyMs(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** Runs a measurement and adds what it cost the machine's CPU and the main thread. */
async function accounted(run: () => Promise<Omit<Run, 'machineCpuMs' | 'mainThreadMs'>>): Promise<Run> {
  const cpu = machineBusyMs();
  const loop = performance.eventLoopUtilization();
  const r = await run();
  return { ...r, machineCpuMs: machineBusyMs() - cpu, mainThreadMs: performance.eventLoopUtilization(loop).active };
}

interface Job { baseUrl: string; clients: number; seconds: number; calls: ApiCall[]; thinkMs: number }

/**
 * Runs `op` from `clients` concurrent loops for `seconds`; each loop's n-th call gets index client + n × clients.
 * With `thinkMs`, each loop pauses between calls for a random time of that mean (exponentially distributed,
 * as the time a person reads a page before the next click is usually modelled); without, it calls again at once.
 */
export function runFor(clients: number, seconds: number, op: (i: number) => Promise<void>, thinkMs = 0): Promise<Run> {
  return accounted(() => loops(clients, seconds, op, thinkMs));
}

async function loops(clients: number, seconds: number, op: (i: number) => Promise<void>, thinkMs: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const think = () => delay(Math.min(-Math.log(1 - Math.random()) * thinkMs, end - performance.now()));
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    // people do not all click at the same instant: with pauses, each loop starts after one
    if (thinkMs > 0) await think();
    for (let i = c; performance.now() < end; i += clients) {
      const s = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - s);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      if (thinkMs > 0) await think();
    }
  }));
  return { latencies, errors, firstError, ms: performance.now() - t0 };
}

// Kept-alive sockets, as a browser keeps them; node:http rather than fetch, whose web streams cost
// about as much again as the server's own HTTP work (which matters where the clients share a thread).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One call to the API; resolves with its status and body. */
export function call(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { method, agent, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let worker: Worker | undefined;

/**
 * Sends `calls` (the i-th call of a loop is calls[i mod length]) from `clients`
 * concurrent loops in the clients' worker thread for `seconds`.
 */
export function runApiFor(baseUrl: string, clients: number, seconds: number, calls: ApiCall[], thinkMs = 0): Promise<Run> {
  return accounted(() => inWorker({ baseUrl, clients, seconds, calls, thinkMs }));
}

function inWorker(job: Job): Promise<Omit<Run, 'machineCpuMs' | 'mainThreadMs'>> {
  // the worker loads this very file, TypeScript as it is: tsx's loader is registered in it first (a worker does not inherit --import)
  worker ??= new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true });
  const w = worker;
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => {
      w.off('message', done);
      reject(err);
    };
    const done = (run: Omit<Run, 'machineCpuMs' | 'mainThreadMs'>) => {
      w.off('error', failed);
      resolve(run);
    };
    w.once('message', done);
    w.once('error', failed);
    w.postMessage(job);
  });
}

/** Ends the clients' worker, if one was started. */
export async function stopClients(): Promise<void> {
  await worker?.terminate();
  worker = undefined;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', async ({ baseUrl, clients, seconds, calls, thinkMs }: Job) => {
    const run = await loops(clients, seconds, async (i) => {
      const c = calls[i % calls.length];
      const res = await call(baseUrl, c.method, c.path, c.headers, c.body);
      if (res.status !== c.status) throw new Error(`${c.method} ${c.path}: ${res.status} ${res.text.slice(0, 200)}`);
    }, thinkMs);
    port.postMessage(run);
  });
}
