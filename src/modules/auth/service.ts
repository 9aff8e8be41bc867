import { createHash, randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { AuthConfig } from '../../config.ts';
import { prepared, type Db } from '../../db/index.ts';
import { AppError, badRequest, conflict, tooManyRequests } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { ROLES, type Role } from './roles.ts';

export interface MembershipInput {
  municipalityId: string;
  organizationId: string;
  role: Role;
  /** The 要配慮 grant from the start (demo users, fixtures); staff get it later from an admin. */
  sensitiveAccess?: boolean;
}

export interface Membership extends MembershipInput {
  municipalityName: string;
  organizationName: string;
  /** The 要配慮 grant of this membership (none by default; an admin gives it after step-up). */
  sensitiveAccess: boolean;
}

export interface SessionUser {
  id: string;
  login: string;
  displayName: string;
}

/** A signed-in session as the rest of the app sees it. */
export interface Session {
  tokenHash: string;
  user: SessionUser;
  municipalityId: string;
  organizationId: string;
  role: Role;
  /** Whether this session's membership holds the 要配慮 grant. */
  sensitiveAccess: boolean;
  csrfToken: string;
  /** When the second factor was last given (sign-in or step-up). */
  mfaAt: Date | null;
  /**
   * The municipality's network profile revision when this request's session
   * was read (with it, in one query), so caches of the network are checked
   * without another query.
   */
  networkRevision?: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// OWASP's argon2id baseline (19 MiB, 2 passes).
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

// Verified when the login is unknown, so a wrong login takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function createUser(
  { db, clock }: Deps,
  actor: Actor,
  input: { login: string; displayName: string; password: string; memberships: MembershipInput[]; totpSecret?: string },
): Promise<SessionUser> {
  const fields = [];
  if (!/^[A-Za-z0-9._@-]{3,64}$/.test(input.login))
    fields.push({ field: 'login', message: 'Use 3–64 letters, digits, dots, hyphens, underscores or @.' });
  if (input.password.length < MIN_PASSWORD_LENGTH)
    fields.push({ field: 'password', message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
  if (!input.displayName.trim()) fields.push({ field: 'displayName', message: 'Give the name staff will see.' });
  if (input.memberships.length === 0) fields.push({ field: 'memberships', message: 'A user needs at least one organisation.' });
  input.memberships.forEach((m, i) => {
    if (!ROLES.includes(m.role)) fields.push({ field: `memberships[${i}].role`, message: `Use one of: ${ROLES.join(', ')}.` });
  });
  if (fields.length) throw badRequest('The user could not be created.', fields);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM app_user WHERE lower(login) = lower($1)', [input.login]);
    if (existing.rows.length) throw conflict(`A user with login "${input.login}" already exists.`);
    const id = randomUUID();
    const now = clock.now();
    await tx.query(
      // a known secret (demo users, test fixtures) enrols at once; everyone else enrols at the first sign-in
      'INSERT INTO app_user (id, login, display_name, password_hash, totp_secret, mfa_enrolled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)',
      [id, input.login, input.displayName.trim(), passwordHash, input.totpSecret ?? null, input.totpSecret ? now : null, now],
    );
    for (const m of input.memberships) {
      const org = await tx.query('SELECT 1 FROM organization WHERE municipality_id = $1 AND id = $2 AND active', [m.municipalityId, m.organizationId]);
      if (!org.rows.length) throw badRequest('The user could not be created.', [{ field: 'memberships', message: 'No active organisation with that id.' }]);
      await tx.query(
        `INSERT INTO membership (municipality_id, organization_id, user_id, role, created_at, sensitive_access, sensitive_granted_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN $5::timestamptz END)`,
        [m.municipalityId, m.organizationId, id, m.role, now, m.sensitiveAccess ?? false],
      );
      await recordAudit(tx, clock, actor, {
        municipalityId: m.municipalityId, action: 'user.create', entityType: 'app_user', entityId: id,
        reason: 'account created', details: { login: input.login, organizationId: m.organizationId, role: m.role, sensitiveAccess: m.sensitiveAccess ?? false },
      });
    }
    return { id, login: input.login, displayName: input.displayName.trim() };
  });
}

/** A user's active memberships as one JSON array (the user's id is the column or parameter given). */
const MEMBERSHIPS_JSON = (userId: string) => `COALESCE((
     SELECT json_agg(json_build_object('municipalityId', m.municipality_id, 'municipalityName', mu.name, 'organizationId', m.organization_id,
                                       'organizationName', o.name, 'role', m.role, 'sensitiveAccess', m.sensitive_access) ORDER BY mu.code, o.key)
     FROM membership m
     JOIN municipality mu ON mu.id = m.municipality_id
     JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
     WHERE m.user_id = ${userId} AND m.active AND o.active), '[]'::json)`;

/** The user's active memberships, in the order the organisation switcher lists them. */
async function membershipsOf(db: Db, userId: string): Promise<Membership[]> {
  const { rows } = await db.query<{ memberships: Membership[] }>(`SELECT ${MEMBERSHIPS_JSON('$1')} AS memberships`, [userId]);
  return rows[0]!.memberships;
}

export interface SessionView {
  municipality: { id: string; code: string; name: string; nameEn: string | null };
  organization: { id: string; name: string; nameEn: string | null };
  memberships: Membership[];
}

/** What the session answer names besides the session: where it acts, and every membership the user may switch to, in one query. */
export async function sessionView(db: Db, s: Session): Promise<SessionView> {
  const { rows: [r] } = await db.query<{ code: string; mname: string; mname_en: string | null; oname: string; oname_en: string | null; memberships: Membership[] }>(
    `SELECT mu.code, mu.name AS mname, mu.name_en AS mname_en, o.name AS oname, o.name_en AS oname_en, ${MEMBERSHIPS_JSON('$3')} AS memberships
     FROM municipality mu JOIN organization o ON o.municipality_id = mu.id AND o.id = $2 WHERE mu.id = $1`,
    [s.municipalityId, s.organizationId, s.user.id],
  );
  return {
    municipality: { id: s.municipalityId, code: r.code, name: r.mname, nameEn: r.mname_en },
    organization: { id: s.organizationId, name: r.oname, nameEn: r.oname_en },
    memberships: r.memberships,
  };
}

export const INVALID_CREDENTIALS = 'The login or password is not correct.';

/**
 * Signs a user in. An unknown login and a wrong password get the same answer
 * (and take as long); repeated failures lock the account for a while. Every
 * attempt is audited.
 */
export async function signIn(
  { db, clock }: Deps,
  cfg: AuthConfig,
  input: { login: string; password: string; ip?: string; userAgent?: string; requestId?: string },
): Promise<{ token: string; session: Session | null; secondFactor: 'verify' | 'enroll' | null }> {
  const { rows } = await db.query<{ id: string; login: string; display_name: string; password_hash: string; active: boolean; failed_attempts: number; locked_until: Date | null; mfa_enrolled_at: Date | null }>(
    'SELECT id, login, display_name, password_hash, active, failed_attempts, locked_until, mfa_enrolled_at FROM app_user WHERE lower(login) = lower($1)',
    [input.login],
  );
  const user = rows[0];
  const now = clock.now();
  const memberships = user ? await membershipsOf(db, user.id) : [];
  const actor: Actor = {
    userId: user?.id ?? null, login: input.login.slice(0, 100), municipalityId: memberships[0]?.municipalityId ?? null,
    organizationId: null, role: null, ip: input.ip, requestId: input.requestId,
  };
  const fail = async (reason: string): Promise<never> => {
    await recordAudit(db, clock, actor, { action: 'session.sign_in', outcome: 'denied', reason, entityType: 'app_user', entityId: user?.id });
    throw new AppError('invalid_credentials', 401, INVALID_CREDENTIALS);
  };

  if (!user) {
    dummyHash ??= hashPassword(randomUUID());
    await argon2.verify(await dummyHash, input.password);
    return fail('unknown login');
  }
  if (user.locked_until && user.locked_until > now) {
    await recordAudit(db, clock, actor, { action: 'session.sign_in', outcome: 'denied', reason: 'account locked', entityType: 'app_user', entityId: user.id });
    const seconds = Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000);
    throw tooManyRequests(seconds, 'Too many failed sign-ins. The account is locked for a while; try again later or ask an administrator.');
  }
  const ok = await argon2.verify(user.password_hash, input.password);
  if (!ok) {
    const attempts = user.failed_attempts + 1;
    const lock = attempts >= cfg.lockoutThreshold ? new Date(now.getTime() + cfg.lockoutMinutes * 60_000) : null;
    await db.query('UPDATE app_user SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [user.id, lock ? 0 : attempts, lock]);
    return fail(lock ? `wrong password; account locked for ${cfg.lockoutMinutes} minutes` : 'wrong password');
  }
  if (!user.active) return fail('account deactivated');
  if (memberships.length === 0) return fail('no active membership');

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const first = memberships[0];
  const expires = new Date(now.getTime() + cfg.absoluteTimeoutHours * 3_600_000);
  const stage = cfg.requireMfa ? 'mfa' : 'full';
  await db.transaction(async (tx) => {
    // the password alone does not reset failures when a second factor is still to come
    if (stage === 'full') await tx.query('UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [user.id]);
    await tx.query(
      `INSERT INTO user_session (token_hash, user_id, stage, csrf_token, municipality_id, organization_id, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10)`,
      [hashToken(token), user.id, stage, csrfToken, first.municipalityId, first.organizationId, now, expires, input.ip ?? null, input.userAgent?.slice(0, 300) ?? null],
    );
    await recordAudit(tx, clock, { ...actor, organizationId: first.organizationId, role: first.role }, {
      municipalityId: first.municipalityId, action: 'session.sign_in', entityType: 'app_user', entityId: user.id, reason: stage === 'mfa' ? 'password; second factor next' : 'password',
    });
  });
  if (stage === 'mfa') return { token, session: null, secondFactor: user.mfa_enrolled_at ? 'verify' : 'enroll' };
  return { token, session: await loadSession(db, clock, cfg, hashToken(token)), secondFactor: null };
}

/**
 * The session a cookie token stands for, or null when it is unknown, ended,
 * past its idle or absolute time-out, still waiting for its second factor, or
 * its user or membership was deactivated.
 */
export async function resolveSession(db: Db, clock: Clock, cfg: AuthConfig, token: string): Promise<Session | null> {
  return loadSession(db, clock, cfg, hashToken(token));
}

/**
 * Every request's session lookup: prepared, as planning it costs more than running it. It reads the
 * acting membership alone; the list of all a user's memberships is read where it is shown (sessionView).
 */
const SESSION = prepared('session', `SELECT s.user_id, u.login, u.display_name, s.csrf_token, s.municipality_id, s.organization_id, s.last_seen_at, s.stage, s.mfa_at,
            s.expires_at, s.ended_at, u.active, m.role, m.sensitive_access,
            (SELECT COALESCE(max(r.revision), 0) FROM network_profile_revision r WHERE r.municipality_id = s.municipality_id) AS network_revision
     FROM user_session s JOIN app_user u ON u.id = s.user_id
     LEFT JOIN (membership m JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id AND o.active)
       ON m.user_id = s.user_id AND m.municipality_id = s.municipality_id AND m.organization_id = s.organization_id AND m.active
     WHERE s.token_hash = $1`);

export async function loadSession(db: Db, clock: Clock, cfg: AuthConfig, tokenHash: string): Promise<Session | null> {
  const { rows } = await db.query<{
    user_id: string; login: string; display_name: string; csrf_token: string; municipality_id: string; stage: string; mfa_at: Date | null;
    organization_id: string; last_seen_at: Date; expires_at: Date; ended_at: Date | null; active: boolean; role: Role | null; sensitive_access: boolean | null;
    network_revision: number;
  }>(SESSION, [tokenHash]);
  const s = rows[0];
  const now = clock.now();
  if (!s || s.stage !== 'full' || s.ended_at || !s.active || s.expires_at <= now) return null;
  if (now.getTime() - s.last_seen_at.getTime() > cfg.idleTimeoutMinutes * 60_000) return null;
  // the acting membership (or its organisation) was deactivated
  if (!s.role) return null;
  // refresh the idle clock at most once a minute, not on every request
  if (now.getTime() - s.last_seen_at.getTime() > 60_000)
    await db.query('UPDATE user_session SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, now]);
  return {
    tokenHash, user: { id: s.user_id, login: s.login, displayName: s.display_name }, municipalityId: s.municipality_id,
    organizationId: s.organization_id, role: s.role, sensitiveAccess: s.sensitive_access === true, csrfToken: s.csrf_token, mfaAt: s.mfa_at,
    networkRevision: Number(s.network_revision),
  };
}

export async function signOut({ db, clock }: Deps, session: Session, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('UPDATE user_session SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL', [session.tokenHash, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'session.sign_out', entityType: 'app_user', entityId: session.user.id });
  });
}

export const actorOf = (session: Session, req: { id?: string; ip?: string }): Actor => ({
  userId: session.user.id,
  login: session.user.login,
  municipalityId: session.municipalityId,
  organizationId: session.organizationId,
  role: session.role,
  sensitiveAccess: session.sensitiveAccess,
  networkRevision: session.networkRevision,
  requestId: req.id,
  ip: req.ip,
});
