import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { checkedInbox, plainText, type ConcernSubmission, type PublicInbox, type RawInbox, type Refusal } from './crossing.ts';

/**
 * The resident concern window (気がかり相談, ゆるやかな見守り), public side.
 * Submissions wait in the public inbox until the staff side takes them in.
 * This file must not import staff modules: the public side can run apart.
 */

export { ABOUT_RELATIONS, AGE_BANDS, WORRIES, plainText, type ConcernSubmission, type InboxItem, type PublicInbox } from './crossing.ts';

/** Leading zero bits the browser must find; about 0.1–0.5 s of hashing on a phone. */
export const POW_DIFFICULTY = 16;
const CHALLENGE_MAX_AGE_MS = 2 * 3_600_000;
/** A form sent faster than a person can read it is a script. */
const MIN_FILL_MS = 3_000;

async function secret(db: Db): Promise<Buffer> {
  await db.query(`INSERT INTO public_secret (name, value) VALUES ('challenge', $1) ON CONFLICT (name) DO NOTHING`, [randomBytes(32).toString('hex')]);
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM public_secret WHERE name = 'challenge'`);
  return Buffer.from(rows[0].value, 'hex');
}

export interface Challenge {
  token: string;
  difficulty: number;
}

/** A signed, time-stamped challenge for the form; solving it costs a script real work per submission. */
export async function issueChallenge(db: Db, clock: Clock, municipalityId: string): Promise<Challenge> {
  const body = `${municipalityId}.${clock.now().getTime()}.${randomBytes(12).toString('base64url')}`;
  const mac = createHmac('sha256', await secret(db)).update(body).digest('base64url');
  return { token: `${body}.${mac}`, difficulty: POW_DIFFICULTY };
}

export function leadingZeroBits(hash: Buffer): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

/** Finds a solution (for tests and scripts of our own; the browser does the same in the page). */
export function solveChallenge(token: string, difficulty = POW_DIFFICULTY): string {
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(`${token}:${n}`).digest()) >= difficulty) return String(n);
  }
}

const refused = (message: string) => badRequest(message, [{ field: 'challenge', message }]);

export async function verifyChallenge(db: Db, clock: Clock, municipalityId: string, token: string, solution: string) {
  const parts = token.split('.');
  if (parts.length !== 4) throw refused('The form has expired. Reload the page and send it again.');
  const [mid, issuedAt, nonce, mac] = parts;
  const expected = createHmac('sha256', await secret(db)).update(`${mid}.${issuedAt}.${nonce}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || mid !== municipalityId)
    throw refused('The form has expired. Reload the page and send it again.');
  const age = clock.now().getTime() - Number(issuedAt);
  if (age > CHALLENGE_MAX_AGE_MS) throw refused('The form has expired. Reload the page and send it again.');
  if (age < MIN_FILL_MS) throw refused('The form was sent too quickly. Wait a moment and send it again.');
  if (leadingZeroBits(createHash('sha256').update(`${token}:${solution}`).digest()) < POW_DIFFICULTY)
    throw refused('The form check did not finish. Reload the page and send it again.');
  const hash = createHash('sha256').update(token).digest('hex');
  await db.query('DELETE FROM public_challenge_used WHERE expires_at < $1', [clock.now()]);
  const { rowCount } = await db.query(
    'INSERT INTO public_challenge_used (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [hash, new Date(Number(issuedAt) + CHALLENGE_MAX_AGE_MS)],
  );
  if (rowCount === 0) throw refused('This form was already sent. Reload the page to send another.');
}

// Crockford base32 without I, L, O, U: easy to read out on the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function receiptCode(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

/** Takes a resident's concern into the public inbox and returns the receipt code they keep. */
export async function submitConcern(
  db: Db, clock: Clock, municipalityId: string, input: ConcernSubmission & { challenge: string; solution: string },
): Promise<{ receiptCode: string }> {
  await verifyChallenge(db, clock, municipalityId, input.challenge, input.solution);
  const concern = plainText(input.concern);
  if (!concern) throw badRequest('Write what worries you.', [{ field: 'concern', message: 'Write what worries you.' }]);
  if (!input.anonymous && !input.phone?.trim() && !input.email?.trim())
    throw badRequest('Give a phone number or an email so the city can contact you, or choose to stay anonymous.', [
      { field: 'phone', message: 'Give a phone number or an email, or choose to stay anonymous.' },
    ]);
  const payload: ConcernSubmission = {
    aboutRelation: input.aboutRelation, aboutAgeBand: input.aboutAgeBand ?? null, worries: [...new Set(input.worries)], concern,
    anonymous: input.anonymous,
    name: input.anonymous ? null : plainText(input.name ?? '') || null,
    phone: input.anonymous ? null : plainText(input.phone ?? '') || null,
    email: input.anonymous ? null : plainText(input.email ?? '') || null,
  };
  const code = receiptCode();
  await db.query(
    `INSERT INTO public_inbox (municipality_id, id, kind, payload, receipt_code, received_at) VALUES ($1, $2, 'concern', $3, $4, $5)`,
    [municipalityId, randomUUID(), JSON.stringify(payload), code, clock.now()],
  );
  return { receiptCode: code };
}

/** The inbox as stored in this database, before the staff side's check. */
export function storedInbox(db: Db): RawInbox {
  return {
    async fetch(limit) {
      const { rows } = await db.query<{ municipality_id: string; id: string; receipt_code: string; received_at: Date; payload: ConcernSubmission }>(
        'SELECT municipality_id, id, receipt_code, received_at, payload FROM public_inbox ORDER BY received_at, id LIMIT $1', [limit],
      );
      return rows.map((r) => ({ municipalityId: r.municipality_id, id: r.id, receiptCode: r.receipt_code, receivedAt: r.received_at, payload: r.payload }));
    },
    async confirm(items) {
      // confirming twice, or something never held, changes nothing and answers the same
      for (const i of items) await db.query('DELETE FROM public_inbox WHERE municipality_id = $1 AND id = $2', [i.municipalityId, i.id]);
    },
  };
}

/** The staff side's pull interface over the inbox of the same database (one process serving both roles). */
export function localInbox(db: Db, onRefused?: (r: Refusal) => void): PublicInbox {
  return checkedInbox(storedInbox(db), onRefused);
}
