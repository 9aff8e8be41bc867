import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { AuthConfig, WebAuthnConfig } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { AppError, badRequest, conflict, notFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { actorFor, checkLock, failure, loadPending, stepUpAccepted, stepUpRefused, upgrade } from './mfa.ts';
import { loadSession, type Session } from './service.ts';

/**
 * Passkeys (WebAuthn): security keys and platform authenticators as a second
 * factor beside TOTP, which stays as the fallback. Verification is
 * @simplewebauthn/server's; what is ours is where the challenge lives (in the
 * session row, one at a time, for one purpose, for five minutes, taken by the
 * answer so it works once), whose credential may answer, the signature
 * counter, the lock-out and the audit.
 */

const CHALLENGE_MINUTES = 5;
/** More keys than anyone carries; a bound on what one account can store (the messages below say 10). */
export const MAX_PASSKEYS = 10;
const RP_NAME = 'つなぐ (Tsunagu)';
// Ed25519, ES256 (what security keys and phones make), RS256 (Windows Hello)
const ALGORITHMS = [-8, -7, -257];

/** Where passkeys are bound: a domain (RP ID) and the exact origin of the staff app. */
export interface RelyingParty {
  id: string;
  origin: string;
}

const LOOPBACK_HOST = /^(localhost|.+\.localhost)$/;

/**
 * The relying party for a request: the configured one; without configuration,
 * the request's own host in demo mode or on localhost; otherwise none, and
 * passkeys stay off (a browser would bind them to whatever Host a request
 * carried).
 */
export function relyingParty(cfg: WebAuthnConfig, req: { protocol: string; host: string }): RelyingParty | null {
  if (cfg.rpId && cfg.origin) return { id: cfg.rpId, origin: cfg.origin };
  let url: URL;
  try {
    url = new URL(`${req.protocol}://${req.host}`);
  } catch {
    return null;
  }
  if (!url.hostname || (!cfg.fromRequestHost && !LOOPBACK_HOST.test(url.hostname))) return null;
  return { id: url.hostname, origin: url.origin };
}

export const passkeysUnavailable = () =>
  new AppError('passkeys_unavailable', 409, 'Passkeys are not set up on this server. Ask the administrator to set TSUNAGU_WEBAUTHN_RP_ID and TSUNAGU_WEBAUTHN_ORIGIN.');

export interface Passkey {
  id: string;
  name: string;
  /** 'multiDevice': synced by the platform (a phone's or a computer's passkey); 'singleDevice': a security key or one device. */
  deviceType: 'singleDevice' | 'multiDevice';
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The user's passkeys, newest first. */
export async function listPasskeys(db: Db, userId: string): Promise<Passkey[]> {
  const { rows } = await db.query<Passkey>(
    `SELECT id, name, device_type AS "deviceType", created_at AS "createdAt", last_used_at AS "lastUsedAt"
     FROM passkey WHERE user_id = $1 ORDER BY created_at DESC, id`, [userId]);
  return rows;
}

interface StoredKey {
  id: string;
  credential_id: string;
  public_key: string;
  counter: string | number;
  transports: string[];
}

const keysOf = async (db: Db, userId: string) =>
  (await db.query<StoredKey>('SELECT id, credential_id, public_key, counter, transports FROM passkey WHERE user_id = $1 ORDER BY created_at', [userId])).rows;

type Purpose = 'sign_in' | 'step_up' | 'register';

async function keepChallenge(db: Db, clock: Clock, tokenHash: string, purpose: Purpose, challenge: string) {
  await db.query('UPDATE user_session SET webauthn_challenge = $2, webauthn_purpose = $3, webauthn_expires_at = $4 WHERE token_hash = $1',
    [tokenHash, challenge, purpose, new Date(clock.now().getTime() + CHALLENGE_MINUTES * 60_000)]);
}

/**
 * Takes the session's outstanding challenge: it is cleared whatever comes
 * next, so an answer (right or wrong) uses it up. Null when there is none,
 * it is for another purpose, or it has expired.
 */
async function takeChallenge(db: Db, clock: Clock, tokenHash: string, purpose: Purpose): Promise<string | null> {
  const { rows } = await db.query<{ challenge: string; purpose: string; expires_at: Date }>(
    `UPDATE user_session s SET webauthn_challenge = NULL, webauthn_purpose = NULL, webauthn_expires_at = NULL
     FROM (SELECT token_hash, webauthn_challenge, webauthn_purpose, webauthn_expires_at FROM user_session WHERE token_hash = $1 FOR UPDATE) old
     WHERE s.token_hash = old.token_hash AND old.webauthn_challenge IS NOT NULL
     RETURNING old.webauthn_challenge AS challenge, old.webauthn_purpose AS purpose, old.webauthn_expires_at AS expires_at`, [tokenHash]);
  const r = rows[0];
  if (!r || r.purpose !== purpose || r.expires_at <= clock.now()) return null;
  return r.challenge;
}

const userHandle = (userId: string) => Uint8Array.from(Buffer.from(userId.replace(/-/g, ''), 'hex'));

/** Why an assertion was refused, in the audit's words (the library's message, cut short). */
const because = (e: unknown) => `passkey not verified: ${(e instanceof Error ? e.message : String(e)).slice(0, 160)}`;

/**
 * Checks an assertion against the session's challenge and one of the user's
 * own passkeys, then records the new counter and the time of use. The counter
 * must grow (unless the authenticator keeps none, reporting 0 always): a
 * smaller or equal one means a cloned authenticator or a replay.
 */
async function verifyAssertion(
  db: Db, clock: Clock, rp: RelyingParty, userId: string, tokenHash: string, purpose: Purpose, response: AuthenticationResponseJSON,
): Promise<{ ok: true; passkeyId: string } | { ok: false; reason: string }> {
  const challenge = await takeChallenge(db, clock, tokenHash, purpose);
  if (!challenge) return { ok: false, reason: 'passkey: no open challenge (expired, already used, or never asked)' };
  const { rows } = await db.query<StoredKey>(
    'SELECT id, credential_id, public_key, counter, transports FROM passkey WHERE credential_id = $1 AND user_id = $2', [response.id, userId]);
  const key = rows[0];
  if (!key) return { ok: false, reason: "passkey: not one of this user's passkeys" };
  let newCounter: number;
  let backedUp: boolean;
  try {
    const result = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
      credential: { id: key.credential_id, publicKey: isoBase64URL.toBuffer(key.public_key), counter: Number(key.counter), transports: key.transports },
    });
    if (!result.verified) return { ok: false, reason: 'passkey not verified: the signature does not match' };
    newCounter = result.authenticationInfo.newCounter;
    backedUp = result.authenticationInfo.credentialBackedUp;
  } catch (e) {
    return { ok: false, reason: because(e) };
  }
  const { rowCount } = await db.query(
    'UPDATE passkey SET counter = $2, last_used_at = $3, backed_up = $4 WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))',
    [key.id, newCounter, clock.now(), backedUp]);
  if (rowCount === 0) return { ok: false, reason: 'passkey not verified: the counter did not increase' };
  return { ok: true, passkeyId: key.id };
}

const options = async (rp: RelyingParty, keys: StoredKey[]) => generateAuthenticationOptions({
  rpID: rp.id,
  allowCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports })),
  // a second factor after the password: presence is enough; a PIN or fingerprint is welcome
  userVerification: 'preferred',
  timeout: CHALLENGE_MINUTES * 60_000,
});

// ---- at sign-in, after the password ----

/** Whether the user waiting for the second factor can use a passkey here. */
export async function passkeyOffered({ db, clock }: Deps, cfg: AuthConfig, token: string | undefined, rp: RelyingParty | null): Promise<boolean> {
  const p = await loadPending(db, clock, cfg, token);
  if (!rp) return false;
  return (await keysOf(db, p.userId)).length > 0;
}

/** The challenge for the user's passkeys, kept in the half-open session. */
export async function startPasskeySignIn(
  { db, clock }: Deps, cfg: AuthConfig, token: string | undefined, rp: RelyingParty | null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const p = await loadPending(db, clock, cfg, token);
  checkLock(p, clock.now());
  if (!rp) throw passkeysUnavailable();
  const keys = await keysOf(db, p.userId);
  if (keys.length === 0) throw badRequest('This account has no passkey. Enter the code from the authenticator app.', [{ field: 'credential', message: 'This account has no passkey.' }]);
  const opts = await options(rp, keys);
  await keepChallenge(db, clock, p.tokenHash, 'sign_in', opts.challenge);
  return opts;
}

/**
 * Completes sign-in with a passkey exactly as a code does: the session opens
 * and failures are forgotten. A refused assertion counts towards the lock-out
 * like a wrong code, and is audited.
 */
export async function finishPasskeySignIn(
  { db, clock }: Deps, cfg: AuthConfig, token: string | undefined, rp: RelyingParty | null, response: AuthenticationResponseJSON,
  req: { ip?: string; requestId?: string },
): Promise<Session> {
  const p = await loadPending(db, clock, cfg, token);
  const actor = await actorFor(db, p.userId, p.login, req);
  checkLock(p, clock.now());
  if (!rp) throw passkeysUnavailable();
  const result = await verifyAssertion(db, clock, rp, p.userId, p.tokenHash, 'sign_in', response);
  if (!result.ok)
    return failure(db, clock, cfg, p, actor, 'session.mfa', {
      reason: result.reason,
      error: new AppError('invalid_passkey', 401, 'The passkey could not be confirmed. Try again, or enter the code from the authenticator app.', [{ field: 'credential', message: 'The passkey could not be confirmed.' }]),
    });
  await upgrade(db, clock, p);
  await recordAudit(db, clock, actor, { action: 'session.mfa', entityType: 'app_user', entityId: p.userId, reason: 'passkey', details: { passkeyId: result.passkeyId } });
  return (await loadSession(db, clock, cfg, p.tokenHash))!;
}

// ---- step-up, in a full session ----

export async function startPasskeyStepUp({ db, clock }: Deps, session: Session, rp: RelyingParty | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
  if (!rp) throw passkeysUnavailable();
  const keys = await keysOf(db, session.user.id);
  if (keys.length === 0) throw badRequest('This account has no passkey. Enter the code from the authenticator app.', [{ field: 'credential', message: 'This account has no passkey.' }]);
  const opts = await options(rp, keys);
  await keepChallenge(db, clock, session.tokenHash, 'step_up', opts.challenge);
  return opts;
}

/** Gives the second factor again with a passkey; a refusal counts towards the lock-out like a wrong code. */
export async function finishPasskeyStepUp(
  deps: Deps, cfg: AuthConfig, session: Session, rp: RelyingParty | null, response: AuthenticationResponseJSON, actor: Actor,
): Promise<void> {
  if (!rp) throw passkeysUnavailable();
  const result = await verifyAssertion(deps.db, deps.clock, rp, session.user.id, session.tokenHash, 'step_up', response);
  if (!result.ok)
    return stepUpRefused(deps, cfg, session, actor, result.reason,
      new AppError('invalid_passkey', 400, 'The passkey could not be confirmed.', [{ field: 'credential', message: 'The passkey could not be confirmed.' }]));
  await stepUpAccepted(deps, session, actor, 'passkey');
}

// ---- registration and removal (the caller checks the recent second factor) ----

/** The options for navigator.credentials.create(); the challenge is kept in the session. */
export async function startPasskeyRegistration({ db, clock }: Deps, session: Session, rp: RelyingParty | null): Promise<PublicKeyCredentialCreationOptionsJSON> {
  if (!rp) throw passkeysUnavailable();
  const keys = await keysOf(db, session.user.id);
  if (keys.length >= MAX_PASSKEYS)
    throw badRequest('An account holds at most 10 passkeys. Remove one you no longer use first.', [{ field: 'credential', message: 'At most 10 passkeys.' }]);
  const opts = await generateRegistrationOptions({
    rpName: RP_NAME, rpID: rp.id, userName: session.user.login, userDisplayName: session.user.displayName, userID: userHandle(session.user.id),
    attestationType: 'none', timeout: CHALLENGE_MINUTES * 60_000, supportedAlgorithmIDs: ALGORITHMS,
    // the same authenticator twice would only make a second name for one key
    excludeCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(db, clock, session.tokenHash, 'register', opts.challenge);
  return opts;
}

/** Verifies the new credential against the kept challenge and stores it under its name; audited. */
export async function finishPasskeyRegistration(
  { db, clock }: Deps, session: Session, actor: Actor, rp: RelyingParty | null, input: { name: string; credential: RegistrationResponseJSON },
): Promise<Passkey> {
  if (!rp) throw passkeysUnavailable();
  const name = input.name.trim();
  if (!name) throw badRequest('Give the passkey a name.', [{ field: 'name', message: 'Give the passkey a name (e.g. the key or the device).' }]);
  const challenge = await takeChallenge(db, clock, session.tokenHash, 'register');
  const refuse = async (reason: string, message = 'The passkey could not be added. Start again.'): Promise<never> => {
    await recordAudit(db, clock, actor, { action: 'passkey.register', outcome: 'denied', entityType: 'app_user', entityId: session.user.id, reason });
    throw badRequest(message, [{ field: 'credential', message }]);
  };
  if (!challenge) return refuse('no open challenge (expired, already used, or never asked)', 'The request to add a passkey expired or was already used. Start again.');
  let info;
  try {
    const result = await verifyRegistrationResponse({
      response: input.credential, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id,
      requireUserVerification: false, supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return refuse('attestation not verified');
    info = result.registrationInfo;
  } catch (e) {
    return refuse(because(e).replace(/^passkey /, ''));
  }
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM passkey WHERE credential_id = $1', [info.credential.id]);
    if (taken.rows.length) throw conflict('This passkey is already registered.');
    const count = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM passkey WHERE user_id = $1', [session.user.id]);
    if (count.rows[0].n >= MAX_PASSKEYS)
      throw badRequest('An account holds at most 10 passkeys. Remove one you no longer use first.', [{ field: 'credential', message: 'At most 10 passkeys.' }]);
    await tx.query(
      `INSERT INTO passkey (id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, aaguid, name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, session.user.id, info.credential.id, isoBase64URL.fromBuffer(info.credential.publicKey), info.credential.counter,
        info.credential.transports ?? [], info.credentialDeviceType, info.credentialBackedUp, info.aaguid, name, now]);
    await recordAudit(tx, clock, actor, {
      action: 'passkey.register', entityType: 'passkey', entityId: id, reason: 'passkey added',
      details: { userId: session.user.id, name, deviceType: info.credentialDeviceType, aaguid: info.aaguid },
    });
  });
  return { id, name, deviceType: info.credentialDeviceType, createdAt: now, lastUsedAt: null };
}

/** Removes one of the user's own passkeys (another user's answers 404); TOTP stays. Audited. */
export async function removePasskey({ db, clock }: Deps, session: Session, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string }>('DELETE FROM passkey WHERE id = $1 AND user_id = $2 RETURNING name', [id, session.user.id]);
    if (!rows[0]) throw notFound('passkey');
    await recordAudit(tx, clock, actor, { action: 'passkey.remove', entityType: 'passkey', entityId: id, reason: 'passkey removed', details: { userId: session.user.id, name: rows[0].name } });
  });
}
