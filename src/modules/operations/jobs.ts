import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';

/**
 * Scheduled jobs that run once per period across all instances: each period's
 * run is claimed by inserting its slot into job_run, which only one instance
 * can do. An instance that finds the slot taken skips it.
 */
export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<Record<string, unknown> | void>;
}

export type JobOutcome = 'ran' | 'skipped' | 'failed';

export async function runJobSlot(db: Db, clock: Clock, job: Job): Promise<JobOutcome> {
  const now = clock.now().getTime();
  const slot = new Date(Math.floor(now / job.everyMs) * job.everyMs);
  const claimed = await db.query('INSERT INTO job_run (job, started_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING job', [job.name, slot]);
  if (!claimed.rows.length) return 'skipped';
  try {
    const detail = await job.run();
    await db.query(`UPDATE job_run SET finished_at = $3, outcome = 'ok', detail = $4 WHERE job = $1 AND started_at = $2`, [job.name, slot, clock.now(), JSON.stringify(detail ?? {})]);
    return 'ran';
  } catch (err) {
    await db.query(`UPDATE job_run SET finished_at = $3, outcome = 'failed', detail = $4 WHERE job = $1 AND started_at = $2`, [job.name, slot, clock.now(), JSON.stringify({ error: (err as Error).message })]);
    return 'failed';
  }
}

/** Checks each job a few times per period, so a slot missed by a busy instance is taken by another. */
export function startScheduler(db: Db, clock: Clock, jobs: Job[], onOutcome: (job: string, outcome: JobOutcome) => void): () => void {
  const timers = jobs.map((job) => {
    const t = setInterval(() => {
      runJobSlot(db, clock, job).then((o) => onOutcome(job.name, o), () => onOutcome(job.name, 'failed'));
    }, Math.max(1000, Math.floor(job.everyMs / 3)));
    t.unref();
    return t;
  });
  return () => timers.forEach(clearInterval);
}

/** Forgets finished job runs after a while. */
export async function purgeJobRuns(db: Db, clock: Clock, keepDays = 30): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM job_run WHERE started_at < $1', [new Date(clock.now().getTime() - keepDays * 86_400_000)]);
  return rowCount;
}
