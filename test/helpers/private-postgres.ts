import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of the test's own, on its own port, so a test can stop
 * and start it without disturbing other tests. initdb and pg_ctl refuse to run
 * as root, so they run as the postgres user on a directory it owns.
 */
export class PrivatePostgres {
  readonly dir: string;
  readonly port: number;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'tsunagu-pg-'));
    chmodSync(this.dir, 0o777);
    this.port = 45000 + Math.floor(Math.random() * 10000);
  }

  /** Why a private server cannot run here, or null. */
  static unavailable(): string | null {
    if (!existsSync(`${BIN}/initdb`)) return `no ${BIN}/initdb (Debian's postgresql-15 package)`;
    if (process.getuid?.() !== 0) return 'needs root to run initdb as the postgres user';
    return null;
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(cmd: string, args: string[]) {
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/${cmd}`, ...args], { stdio: 'pipe' });
  }

  init() {
    this.run('initdb', ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    this.start();
  }

  start() {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  }

  stop() {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  destroy() {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
