import { resolve } from 'node:path';

/** Settings read once at start from the environment, checked, and passed down. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** The owner role's connection, for migrations and purges, when the app serves as a less privileged role. */
  ownerDatabaseUrl?: string;
  /** Shares rate limits between instances; without it each instance counts alone. */
  redisUrl?: string;
  demo: boolean;
  auth: AuthConfig;
  db: { maxConnections: number; statementTimeoutMs: number };
  /** Above these the server sheds load with 503 instead of slowing every request (0 turns a check off). */
  load: { maxEventLoopDelayMs: number; maxHeapUsedBytes: number };
  webDir: string;
  /** Where the public side (`serve --role public`) keeps its own small store on PGlite (TSUNAGU_PUBLIC_DATA_DIR). */
  publicDataDir: string;
  /** The public side as the staff side reaches it (TSUNAGU_PUBLIC_URL), and the secret both are given (TSUNAGU_PULL_SECRET). */
  publicLink: { url?: string; secret?: string };
  /** Reminders and notices to event registrants, sent by the side that holds the registrations. */
  registrantMessages: RegistrantMessagesConfig;
  stats: StatsConfig;
}

export interface RegistrantMessagesConfig {
  /** Where the file sender writes them (TSUNAGU_PUBLIC_OUTBOX_DIR; default: the outbox directory beside the store), as registrants.jsonl. */
  dir?: string;
  /** The city's mail server for registrants who gave an email (TSUNAGU_SMTP_URL, TSUNAGU_SMTP_FROM); without it every message goes to the file. */
  smtp?: { url: string; from: string };
  /** Where residents reach the public pages, for the cancel link (TSUNAGU_PUBLIC_SITE_URL; default http://localhost:PORT). */
  siteUrl: string;
  /** The hour in Japan, the day before an event, its reminder goes out (TSUNAGU_EVENT_REMINDER_HOUR, default 10). */
  reminderHour: number;
}

/** Figures by fiscal year (src/modules/stats). */
export interface StatsConfig {
  /**
   * In figures for publication and for the prefecture, counts from 1 up to
   * this minus one are shown as "<N" (TSUNAGU_STATS_SUPPRESS_BELOW, default 3:
   * 1 and 2 become "<3"). 1 turns suppression off.
   */
  suppressBelow: number;
  /** An open case with no contact for this many days is a network-health finding (TSUNAGU_STATS_NO_CONTACT_DAYS). */
  noContactDays: number;
}

export interface AuthConfig {
  idleTimeoutMinutes: number;
  absoluteTimeoutHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Sign-in attempts per minute from one address before 429. */
  signInAttemptsPerMinute: number;
  /** Send cookies only over HTTPS; on by default outside demo mode. */
  secureCookies: boolean;
  /** Every staff account signs in with a second factor. Not configurable from the environment. */
  requireMfa: boolean;
  /** Exports, disclosure, break-the-glass and permission changes ask for the code again after this long. */
  stepUpMinutes: number;
  /** How long break-the-glass opens a case (default two hours). */
  breakGlassMinutes: number;
  /** Where passkeys (WebAuthn) are bound. */
  webauthn: WebAuthnConfig;
}

/**
 * The relying party of passkeys: the domain they are bound to
 * (TSUNAGU_WEBAUTHN_RP_ID) and the exact origin the staff app is served from
 * (TSUNAGU_WEBAUTHN_ORIGIN). Both set, or neither: then, in demo mode or on a
 * loopback host, they are taken from the request's host; elsewhere passkeys
 * stay off until they are configured.
 */
export interface WebAuthnConfig {
  rpId: string | null;
  origin: string | null;
  fromRequestHost: boolean;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${raw}").`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}").`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { demo?: boolean } = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL.');
  const demo = overrides.demo ?? bool(env, 'TSUNAGU_DEMO', false);
  const publicUrl = env.TSUNAGU_PUBLIC_URL || undefined;
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl))
    throw new ConfigError(`TSUNAGU_PUBLIC_URL must be an http:// or https:// URL (got "${publicUrl}").`);
  const pullSecret = env.TSUNAGU_PULL_SECRET || undefined;
  if (pullSecret && (pullSecret.length < 32 || /\s/.test(pullSecret)))
    throw new ConfigError('TSUNAGU_PULL_SECRET must be at least 32 characters without spaces (e.g. `openssl rand -base64 48`).');
  const siteUrl = env.TSUNAGU_PUBLIC_SITE_URL?.trim().replace(/\/$/, '') || undefined;
  const smtpUrl = env.TSUNAGU_SMTP_URL?.trim() || undefined;
  const smtpFrom = env.TSUNAGU_SMTP_FROM?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) throw new ConfigError('TSUNAGU_SMTP_URL must be an smtp:// or smtps:// URL (smtp://user:password@mail.example.jp:587).');
  if (smtpUrl && !smtpFrom) throw new ConfigError('TSUNAGU_SMTP_FROM must give the address messages are sent from (for example 相談窓口 <soudan@city.example.jp>).');
  if (siteUrl && !/^https?:\/\/[^\s/]+/.test(siteUrl))
    throw new ConfigError(`TSUNAGU_PUBLIC_SITE_URL must be an http:// or https:// URL (got "${siteUrl}").`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.TSUNAGU_DATA_DIR || './data'),
    databaseUrl,
    ownerDatabaseUrl: env.TSUNAGU_OWNER_DATABASE_URL || undefined,
    redisUrl: env.TSUNAGU_REDIS_URL || undefined,
    demo,
    auth: {
      idleTimeoutMinutes: int(env, 'TSUNAGU_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteTimeoutHours: int(env, 'TSUNAGU_SESSION_MAX_HOURS', 12, 1, 24 * 7),
      lockoutThreshold: int(env, 'TSUNAGU_LOCKOUT_THRESHOLD', 5, 1, 100),
      lockoutMinutes: int(env, 'TSUNAGU_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      signInAttemptsPerMinute: int(env, 'TSUNAGU_SIGNIN_PER_MINUTE', 60, 1, 10_000),
      secureCookies: bool(env, 'TSUNAGU_SECURE_COOKIES', !demo),
      requireMfa: true,
      stepUpMinutes: int(env, 'TSUNAGU_STEP_UP_MINUTES', 10, 1, 240),
      breakGlassMinutes: int(env, 'TSUNAGU_BREAK_GLASS_MINUTES', 120, 5, 24 * 60),
      webauthn: webauthnConfig(env, demo),
    },
    db: {
      maxConnections: int(env, 'TSUNAGU_DB_POOL_MAX', 10, 1, 500),
      statementTimeoutMs: int(env, 'TSUNAGU_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    },
    load: {
      maxEventLoopDelayMs: int(env, 'TSUNAGU_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
      maxHeapUsedBytes: int(env, 'TSUNAGU_MAX_HEAP_MB', 1536, 0, 65_536) * 1024 * 1024,
    },
    webDir: resolve(env.TSUNAGU_WEB_DIR || new URL('../dist/web', import.meta.url).pathname),
    publicDataDir: resolve(env.TSUNAGU_PUBLIC_DATA_DIR || './data-public'),
    publicLink: { url: publicUrl, secret: pullSecret },
    registrantMessages: {
      dir: env.TSUNAGU_PUBLIC_OUTBOX_DIR ? resolve(env.TSUNAGU_PUBLIC_OUTBOX_DIR) : undefined,
      siteUrl: siteUrl ?? `http://localhost:${int(env, 'PORT', 3000, 0, 65535)}`,
      reminderHour: int(env, 'TSUNAGU_EVENT_REMINDER_HOUR', 10, 0, 23),
      ...(smtpUrl && smtpFrom ? { smtp: { url: smtpUrl, from: smtpFrom } } : {}),
    },
    stats: {
      suppressBelow: int(env, 'TSUNAGU_STATS_SUPPRESS_BELOW', 3, 1, 100),
      noContactDays: int(env, 'TSUNAGU_STATS_NO_CONTACT_DAYS', 90, 7, 3650),
    },
  };
}

const LOOPBACK = /^(localhost|.+\.localhost)$/;

function webauthnConfig(env: NodeJS.ProcessEnv, demo: boolean): WebAuthnConfig {
  const rawId = env.TSUNAGU_WEBAUTHN_RP_ID?.trim().toLowerCase() || undefined;
  const rawOrigin = env.TSUNAGU_WEBAUTHN_ORIGIN?.trim().replace(/\/$/, '') || undefined;
  if (rawId && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(rawId))
    throw new ConfigError(`TSUNAGU_WEBAUTHN_RP_ID must be a domain name without scheme or port, e.g. tsunagu.city.example.lg.jp (got "${rawId}").`);
  let origin: URL | undefined;
  if (rawOrigin) {
    try {
      origin = new URL(rawOrigin);
    } catch {
      origin = undefined;
    }
    if (!origin || origin.origin !== rawOrigin.toLowerCase() || !(origin.protocol === 'https:' || (origin.protocol === 'http:' && LOOPBACK.test(origin.hostname))))
      throw new ConfigError(`TSUNAGU_WEBAUTHN_ORIGIN must be the https:// origin the staff app is served from, without a path, e.g. https://tsunagu.city.example.lg.jp (got "${rawOrigin}").`);
  }
  const rpId = rawId ?? origin?.hostname ?? null;
  const originText = origin?.origin ?? (rawId ? `https://${rawId}` : null);
  if (rpId && originText) {
    const host = new URL(originText).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`))
      throw new ConfigError(`TSUNAGU_WEBAUTHN_ORIGIN (${originText}) must be on the domain TSUNAGU_WEBAUTHN_RP_ID (${rpId}) or below it.`);
  }
  return { rpId, origin: originText, fromRequestHost: demo };
}

export type Role = 'all' | 'staff' | 'public';

/** What a role needs beyond the rest: the staff side its link to the public side, the public side the shared secret. */
export function checkRole(config: Config, role: Role): void {
  if (role === 'staff' && (!config.publicLink.url || !config.publicLink.secret))
    throw new ConfigError('serve --role staff needs TSUNAGU_PUBLIC_URL (where the public side answers) and TSUNAGU_PULL_SECRET (the secret both sides are given).');
  if (role === 'public' && !config.publicLink.secret)
    throw new ConfigError('serve --role public needs TSUNAGU_PULL_SECRET, the secret the staff side pulls with.');
}
