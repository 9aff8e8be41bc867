import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { currentCode } from '../src/modules/auth/mfa.ts';
import { join } from 'node:path';

/**
 * Runs the real server as a child process, on PGlite (a data directory) or
 * PostgreSQL (a database URL), for crash, drain and soak tests.
 */

const BIN = new URL('../bin/tsunagu.mjs', import.meta.url).pathname;
export const PASSWORD = 'reliability-test-password';
export const TOTP_SECRET = 'KRUGS4ZANFZSA3TPOQQHGZLDOJSXI4ZB';

export interface Target {
  engine: 'pglite' | 'postgresql';
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A fresh database: a new PGlite data directory, or a new database on the PostgreSQL server at `pgUrl`. */
export function freshTarget(engine: 'pglite' | 'postgresql', pgUrl?: string): Target {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-rel-'));
    return { engine, env: { TSUNAGU_DATA_DIR: dir, DATABASE_URL: '' }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tsunagu_rel_${randomUUID().slice(0, 8)}`;
  const admin = new URL(pgUrl!);
  execFileSync('psql', [admin.toString(), '-qc', `CREATE DATABASE ${name}`]);
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return {
    engine, env: { DATABASE_URL: url.toString() },
    cleanup: () => execFileSync('psql', [admin.toString(), '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

export function cli(target: Target, args: string[], input?: string): string {
  return execFileSync('node', [BIN, ...args], { env: { ...process.env, ...target.env }, input, encoding: 'utf8' });
}

/** Musashino's network and two accounts: a desk coordinator and an auditor. */
export function seed(target: Target) {
  cli(target, ['profile', 'import', 'profiles/musashino.yaml']);
  cli(target, ['user', 'create', '--login', 'rel-desk', '--name', '窓口', '--org', 'welfare-desk', '--role', 'hub_coordinator', '--password-stdin', '--totp-secret', TOTP_SECRET], PASSWORD);
  cli(target, ['user', 'create', '--login', 'rel-auditor', '--name', '監査', '--org', 'livelihood-welfare-section', '--role', 'auditor', '--password-stdin', '--totp-secret', TOTP_SECRET], PASSWORD);
}

export interface Server {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

export async function startServer(target: Target, port: number | Promise<number>, extraEnv: NodeJS.ProcessEnv = {}): Promise<Server & { startMs: number; port: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startServerOn(target, await port, extraEnv);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
      port = freePort();
    }
  }
}

async function startServerOn(target: Target, port: number, extraEnv: NodeJS.ProcessEnv): Promise<Server & { startMs: number; port: number }> {
  const t0 = Date.now();
  const proc = spawn('node', [BIN, 'serve'], {
    env: { ...process.env, ...target.env, PORT: String(port), LOG_LEVEL: 'warn', TSUNAGU_SIGNIN_PER_MINUTE: '10000', TSUNAGU_SECURE_COOKIES: 'false', ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited while starting: ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/api/ready`);
      if (res.ok) return { proc, url, exited, startMs: Date.now() - t0, port };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`the server did not become ready within 60 s: ${stderr.slice(-2000)}`);
}

export interface Client {
  url: string;
  headers: Record<string, string>;
}

export async function signIn(url: string, login: string): Promise<Client> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  let body = (await res.json()) as { csrfToken: string; secondFactor?: string };
  if (body.secondFactor) {
    const second = await fetch(`${url}/api/session/second-factor`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ code: currentCode(TOTP_SECRET, new Date()) }) });
    if (!second.ok) throw new Error(`second factor failed: ${second.status} ${await second.text()}`);
    body = (await second.json()) as { csrfToken: string };
  }
  const { csrfToken } = body;
  return { url, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

export async function api<T = unknown>(c: Client, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${c.url}${path}`, { method, headers: { ...c.headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** A read that waits out 503s (a restarted instance may shed load for a moment), so "missing" means missing. */
export async function readWithRetry<T = unknown>(c: Client, path: string, tries = 30): Promise<{ status: number; body: T; headers: Headers }> {
  for (let i = 0; ; i++) {
    const r = await api<T>(c, 'GET', path);
    if (r.status !== 503 || i >= tries) return r;
    await new Promise((res) => setTimeout(res, Math.min(Number(r.headers.get('retry-after') ?? 1), 2) * 500));
  }
}

/** A port the OS says is free now (another process could still take it before we listen; startServer retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
