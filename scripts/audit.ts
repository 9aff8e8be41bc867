/**
 * The dependency audit of the test command: `npm audit --audit-level=high`
 * over every dependency, development ones included (the web app's React,
 * router and i18n libraries are devDependencies bundled into what browsers
 * run, and the build tools run on developers' and CI machines).
 *
 * A known high or critical vulnerability fails the run. When the registry's
 * audit endpoint cannot be reached (a network error, a 5xx, a 429, or a
 * registry or mirror that does not offer the endpoint: 404, 405, 501), the
 * run prints a warning and goes on: that endpoint is outside the project's
 * control. Anything else (no lockfile, an answer that is not a report,
 * credentials refused) fails, since it needs fixing here.
 *
 *   node --import tsx scripts/audit.ts      (exit 1 on a failure)
 */
import { spawnSync } from 'node:child_process';

export interface AuditRun {
  /** npm's exit status; null when it could not be started. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The error starting npm, if any. */
  spawnError?: string;
}

export interface AuditDecision {
  outcome: 'pass' | 'fail' | 'unavailable';
  message: string;
}

const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN'];
/** Statuses saying the endpoint is down, busy, or not offered by the configured registry (a mirror, a proxy). */
const UNAVAILABLE_STATUSES = new Set([404, 405, 429, 501]);

interface Vulnerability {
  name: string;
  severity: string;
  via?: (string | { title?: string; url?: string; severity?: string })[];
}

/** What one `npm audit --json` run means for the test command. Pure: the caller runs npm. */
export function judgeAudit(run: AuditRun): AuditDecision {
  if (run.spawnError !== undefined && /ETIMEDOUT/.test(run.spawnError))
    return { outcome: 'unavailable', message: 'WARNING: the dependency audit did not run: npm audit did not answer in time (the registry is slow or unreachable). The run goes on without it.' };
  if (run.spawnError !== undefined || run.status === null) return { outcome: 'fail', message: `npm audit could not be run: ${run.spawnError ?? 'no exit status'}` };
  let report: Record<string, any> | null = null;
  try {
    const parsed = JSON.parse(run.stdout);
    if (parsed && typeof parsed === 'object') report = parsed;
  } catch {
    report = null;
  }
  const networkCode = (text: string) => NETWORK_CODES.find((c) => new RegExp(`\\b${c}\\b`).test(text));

  const counts = report?.metadata?.vulnerabilities;
  if (counts && typeof counts === 'object' && typeof counts.total === 'number') {
    const serious = Object.values((report!.vulnerabilities ?? {}) as Record<string, Vulnerability>).filter((v) => v.severity === 'high' || v.severity === 'critical');
    const high = Number(counts.high ?? 0);
    const critical = Number(counts.critical ?? 0);
    if (high + critical > 0) {
      const lines = serious.map((v) => {
        const advisories = (v.via ?? []).filter((x): x is { title?: string; url?: string } => typeof x === 'object').map((x) => `${x.title} ${x.url ?? ''}`.trim());
        const through = (v.via ?? []).filter((x): x is string => typeof x === 'string');
        return `  ${v.severity} ${v.name}: ${advisories.length ? advisories.join('; ') : `through ${through.join(', ')}`}`;
      });
      return { outcome: 'fail', message: `npm audit: ${critical} critical and ${high} high vulnerabilities. Update or replace these packages (npm audit fix, or npm audit for details):\n${lines.join('\n')}` };
    }
    return { outcome: 'pass', message: `npm audit: no high or critical vulnerability (${counts.total} known in all: ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low, ${counts.info ?? 0} info).` };
  }

  const err = (report?.error ?? {}) as { code?: string; summary?: string; detail?: string };
  const code = String(report?.code ?? err.code ?? '');
  const statusCode = Number(report?.statusCode ?? (err as { statusCode?: number }).statusCode ?? NaN);
  const text = [report?.message, err.summary, err.detail, code, report ? '' : run.stdout, run.stderr].filter(Boolean).join(' ');
  const warn = (why: string) => ({
    outcome: 'unavailable' as const,
    message: `WARNING: the dependency audit did not run: the registry's audit endpoint could not be reached (${why}). The run goes on without it; run \`npm audit\` again when the registry answers.`,
  });
  if (code === 'ENOLOCK' || /ENOLOCK|requires an existing lockfile/.test(text)) return { outcome: 'fail', message: `npm audit needs package-lock.json: ${text.trim()}` };
  if (Number.isFinite(statusCode) && (statusCode >= 500 || UNAVAILABLE_STATUSES.has(statusCode))) return warn(`HTTP ${statusCode}${report?.message ? `: ${report.message}` : ''}`);
  const net = networkCode(`${code} ${text}`);
  if (net) return warn(`${net}${report?.message ? `: ${report.message}` : ''}`);
  if (Number.isFinite(statusCode)) return { outcome: 'fail', message: `npm audit: the registry refused the audit (HTTP ${statusCode}); check the registry configuration and credentials. ${report?.message ?? ''}`.trim() };
  return { outcome: 'fail', message: `npm audit gave no report (exit ${run.status}): ${text.trim().slice(0, 2000) || '(no output)'}` };
}

/** Runs the audit in this directory and says what it found. */
export function runAudit(cwd = process.cwd()): AuditDecision {
  const r = spawnSync('npm', ['audit', '--json', '--audit-level=high'], { cwd, encoding: 'utf8', timeout: 120_000 });
  const spawnError = r.error ? `${(r.error as NodeJS.ErrnoException).code ?? ''} ${r.error.message}`.trim() : undefined;
  return judgeAudit({ status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', spawnError });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const d = runAudit();
  (d.outcome === 'pass' ? console.log : console.error)(d.message);
  process.exit(d.outcome === 'fail' ? 1 : 0);
}
