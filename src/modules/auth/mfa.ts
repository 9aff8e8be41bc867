import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { AuthConfig } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { AppError, badRequest, tooManyRequests, unauthenticated } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { hashToken, loadSession, type Session } from './service.ts';

/**
 * The second factor: TOTP (RFC 6238) for every staff account, with single-use
 * recovery codes. After the password a session is only 'mfa'; the code makes it
 * 'full'. Exports, disclosure, break-the-glass and permission changes ask for
 * the code again when the last one is older than a set number of minutes (step-up).
 */

const ISSUER = 'Tsunagu';
const RECOVERY_CODES = 10;

export const totpFor = (secret: string, label = 'staff') =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** The current code of a secret (for tests, the demo, and the `totp-code` command). */
export const currentCode = (secret: string, at: Date) => totpFor(secret).generate({ timestamp: at.getTime() });

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

function codeMatches(secret: string, code: string, at: Date): boolean {
  // one step either side absorbs clock drift between phone and server
  return totpFor(secret).validate({ token: code.replace(/\s/g, ''), timestamp: at.getTime(), window: 1 }) !== null;
}

const hashCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');

/** A session between the password and the second factor. */
export interface Pending {
  tokenHash: string;
  userId: string;
  login: string;
  totpSecret: string | null;
  pendingSecret: string | null;
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** The session waiting for its second factor, or 401. */
export async function loadPending(db: Db, clock: Clock, cfg: AuthConfig, token: string | undefined): Promise<Pending> {
  if (!token) throw unauthenticated();
  const { rows } = await db.query<{ user_id: string; login: string; totp_secret: string | null; pending_totp_secret: string | null; failed_attempts: number; locked_until: Date | null; created_at: Date; ended_at: Date | null; active: boolean }>(
    `SELECT s.user_id, u.login, u.totp_secret, s.pending_totp_secret, u.failed_attempts, u.locked_until, s.created_at, s.ended_at, u.active
     FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.stage = 'mfa'`, [hashToken(token)]);
  const r = rows[0];
  // the second factor must follow the password within the idle time-out
  if (!r || r.ended_at || !r.active || clock.now().getTime() - r.created_at.getTime() > cfg.idleTimeoutMinutes * 60_000) throw unauthenticated('Sign in again with your password.');
  return { tokenHash: hashToken(token), userId: r.user_id, login: r.login, totpSecret: r.totp_secret, pendingSecret: r.pending_totp_secret, failedAttempts: r.failed_attempts, lockedUntil: r.locked_until };
}

export async function actorFor(db: Db, userId: string, login: string, req: { ip?: string; requestId?: string }): Promise<Actor> {
  const { rows } = await db.query<{ municipality_id: string; organization_id: string; role: string }>(
    `SELECT municipality_id, organization_id, role FROM membership WHERE user_id = $1 AND active ORDER BY municipality_id LIMIT 1`, [userId]);
  return { userId, login, municipalityId: rows[0]?.municipality_id ?? null, organizationId: rows[0]?.organization_id ?? null, role: rows[0]?.role ?? null, ip: req.ip, requestId: req.requestId };
}

/**
 * A refused second factor (a wrong code, or a passkey that did not verify):
 * counts towards the lock-out like a wrong password, is audited, and at the
 * limit ends the half-open session.
 */
export async function failure(
  db: Db, clock: Clock, cfg: AuthConfig, p: Pending, actor: Actor, action: string,
  refusal: { reason: string; error: AppError } = { reason: 'wrong code', error: new AppError('invalid_code', 401, 'The code is not correct. Check the time on your device and try again.', [{ field: 'code', message: 'The code is not correct.' }]) },
): Promise<never> {
  const attempts = p.failedAttempts + 1;
  const lock = attempts >= cfg.lockoutThreshold ? new Date(clock.now().getTime() + cfg.lockoutMinutes * 60_000) : null;
  await db.query('UPDATE app_user SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [p.userId, lock ? 0 : attempts, lock]);
  if (lock) await db.query(`UPDATE user_session SET ended_at = $2 WHERE token_hash = $1`, [p.tokenHash, clock.now()]);
  await recordAudit(db, clock, actor, { action, outcome: 'denied', entityType: 'app_user', entityId: p.userId, reason: lock ? `${refusal.reason}; account locked` : refusal.reason });
  throw refusal.error;
}

/** The second factor was given: the session opens ('full', mfa_at now) and failures are forgotten. */
export async function upgrade(db: Db, clock: Clock, p: Pending) {
  await db.query(`UPDATE user_session SET stage = 'full', mfa_at = $2, pending_totp_secret = NULL, last_seen_at = $2 WHERE token_hash = $1`, [p.tokenHash, clock.now()]);
  await db.query('UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [p.userId]);
}

export function checkLock(p: Pending, now: Date) {
  if (p.lockedUntil && p.lockedUntil > now)
    throw tooManyRequests(Math.ceil((p.lockedUntil.getTime() - now.getTime()) / 1000), 'Too many failed sign-ins. The account is locked for a while; try again later or ask an administrator.');
}

/** Completes sign-in with a code from the authenticator, or with one of the recovery codes (each works once). */
export async function verifySecondFactor(
  { db, clock }: Deps, cfg: AuthConfig, token: string | undefined, input: { code?: string; recoveryCode?: string }, req: { ip?: string; requestId?: string },
): Promise<Session> {
  const p = await loadPending(db, clock, cfg, token);
  const actor = await actorFor(db, p.userId, p.login, req);
  checkLock(p, clock.now());
  if (!p.totpSecret) throw badRequest('Set up the authenticator first.', [{ field: 'code', message: 'Set up the authenticator first.' }]);
  if (input.recoveryCode) {
    const { rowCount } = await db.query('UPDATE recovery_code SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL', [p.userId, hashCode(input.recoveryCode), clock.now()]);
    if (rowCount === 0) return failure(db, clock, cfg, p, actor, 'session.recovery_code');
    await upgrade(db, clock, p);
    await recordAudit(db, clock, actor, { action: 'session.recovery_code', entityType: 'app_user', entityId: p.userId, reason: 'recovery code used' });
  } else {
    if (!input.code || !codeMatches(p.totpSecret, input.code, clock.now())) return failure(db, clock, cfg, p, actor, 'session.mfa');
    await upgrade(db, clock, p);
    await recordAudit(db, clock, actor, { action: 'session.mfa', entityType: 'app_user', entityId: p.userId, reason: 'totp' });
  }
  return (await loadSession(db, clock, cfg, p.tokenHash))!;
}

export interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

/** Starts enrolment on the first sign-in: a new secret, shown once as a QR code. */
export async function startEnrollment({ db, clock }: Deps, cfg: AuthConfig, token: string | undefined): Promise<Enrollment> {
  const p = await loadPending(db, clock, cfg, token);
  if (p.totpSecret) throw badRequest('This account already has an authenticator. Enter its code.', [{ field: 'code', message: 'This account already has an authenticator.' }]);
  const secret = p.pendingSecret ?? newTotpSecret();
  await db.query('UPDATE user_session SET pending_totp_secret = $2 WHERE token_hash = $1', [p.tokenHash, secret]);
  const otpauthUrl = totpFor(secret, p.login).toString();
  return { secret, otpauthUrl, qrSvg: await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown once. */
export async function completeEnrollment(
  { db, clock }: Deps, cfg: AuthConfig, token: string | undefined, code: string, req: { ip?: string; requestId?: string },
): Promise<{ session: Session; recoveryCodes: string[] }> {
  const p = await loadPending(db, clock, cfg, token);
  const actor = await actorFor(db, p.userId, p.login, req);
  checkLock(p, clock.now());
  if (p.totpSecret) throw badRequest('This account already has an authenticator. Enter its code.', [{ field: 'code', message: 'This account already has an authenticator.' }]);
  if (!p.pendingSecret) throw badRequest('Start the setup first.', [{ field: 'code', message: 'Start the setup first.' }]);
  if (!codeMatches(p.pendingSecret, code, clock.now())) return failure(db, clock, cfg, p, actor, 'mfa.enroll');
  const codes = Array.from({ length: RECOVERY_CODES }, () => randomBytes(5).toString('hex').toUpperCase().replace(/(.{5})(.{5})/, '$1-$2'));
  await db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET totp_secret = $2, mfa_enrolled_at = $3 WHERE id = $1', [p.userId, p.pendingSecret, clock.now()]);
    await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [p.userId]);
    for (const c of codes) await tx.query('INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)', [p.userId, hashCode(c)]);
    await upgrade(tx, clock, p);
    await recordAudit(tx, clock, actor, { action: 'mfa.enroll', entityType: 'app_user', entityId: p.userId, reason: 'first sign-in' });
  });
  return { session: (await loadSession(db, clock, cfg, p.tokenHash))!, recoveryCodes: codes };
}

/** Asks for the code again (step-up); the session remembers when. */
export async function stepUp({ db, clock }: Deps, cfg: AuthConfig, session: Session, code: string, actor: Actor): Promise<void> {
  const { rows } = await db.query<{ totp_secret: string | null }>('SELECT totp_secret FROM app_user WHERE id = $1', [session.user.id]);
  if (!rows[0]?.totp_secret || !codeMatches(rows[0].totp_secret, code, clock.now()))
    return stepUpRefused({ db, clock }, cfg, session, actor, 'wrong code', new AppError('invalid_code', 400, 'The code is not correct.', [{ field: 'code', message: 'The code is not correct.' }]));
  await stepUpAccepted({ db, clock }, session, actor);
}

/** A refused step-up counts towards the lock-out too; at the limit every session of the user ends. */
export async function stepUpRefused({ db, clock }: Deps, cfg: AuthConfig, session: Session, actor: Actor, reason: string, error: AppError): Promise<never> {
  const { rows } = await db.query<{ failed_attempts: number }>('SELECT failed_attempts FROM app_user WHERE id = $1', [session.user.id]);
  const attempts = (rows[0]?.failed_attempts ?? 0) + 1;
  const lock = attempts >= cfg.lockoutThreshold ? new Date(clock.now().getTime() + cfg.lockoutMinutes * 60_000) : null;
  await db.query('UPDATE app_user SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [session.user.id, lock ? 0 : attempts, lock]);
  if (lock) await db.query('UPDATE user_session SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL', [session.user.id, clock.now()]);
  await recordAudit(db, clock, actor, { action: 'session.step_up', outcome: 'denied', entityType: 'app_user', entityId: session.user.id, reason: lock ? `${reason}; account locked` : reason });
  throw error;
}

/** The second factor was given again: the session remembers when. */
export async function stepUpAccepted({ db, clock }: Deps, session: Session, actor: Actor, method?: 'passkey'): Promise<void> {
  await db.query('UPDATE app_user SET failed_attempts = 0 WHERE id = $1', [session.user.id]);
  await db.query('UPDATE user_session SET mfa_at = $2 WHERE token_hash = $1', [session.tokenHash, clock.now()]);
  await recordAudit(db, clock, actor, { action: 'session.step_up', entityType: 'app_user', entityId: session.user.id, reason: method });
}

/** For sensitive actions: refuses unless the second factor was given within the last `minutes`. */
export function requireRecentSecondFactor(session: Session, now: Date, minutes: number) {
  if (!session.mfaAt || now.getTime() - session.mfaAt.getTime() > minutes * 60_000)
    throw new AppError('step_up_required', 403, 'Enter your authenticator code again to do this.', []);
}

