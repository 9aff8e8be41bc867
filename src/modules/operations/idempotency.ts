import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { AppError, badRequest, conflict } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';

/**
 * Every state-changing POST honours an `Idempotency-Key` header: a retry with
 * the same key gets the first answer and writes nothing twice, even when both
 * copies arrive at once on two instances (the key is claimed in the shared
 * database before the handler runs). A key reused for a different request is
 * refused. A 5xx, 401 or 403 releases the key so the retry can run.
 */
const WAIT_MS = 10_000;
const POLL_MS = 100;
/** An attempt still "in progress" after this long was cut off (a crash); it is reported, never re-run. */
const INTERRUPTED_AFTER_MS = 60_000;
const KEEP_DAYS = 7;

interface Claim {
  scope: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: Claim;
  }
  interface FastifyContextConfig {
    /** A POST that changes nothing and must keep nothing of what it was sent (the public navigator): no answer is recorded under a key. */
    storesNothing?: boolean;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerIdempotency(app: FastifyInstance, db: Db, clock: Clock) {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || req.routeOptions.config?.storesNothing) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key))
      throw badRequest('The Idempotency-Key header must be 1–200 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'Use a random value such as a UUID, the same for each retry.' }]);
    const scope = req.session ? `user:${req.session.user.id}` : `anon:${req.ip}`;
    const hash = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const claimed = await db.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, status, created_at) VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key, hash, clock.now()],
    );
    if (claimed.rows.length) {
      req.idempotency = { scope, key };
      return;
    }
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const { rows } = await db.query<{ request_hash: string; status: string; response_status: number; response_body: string; response_type: string | null; created_at: Date }>(
        'SELECT request_hash, status, response_status, response_body, response_type, created_at FROM idempotency_key WHERE scope = $1 AND key = $2', [scope, key]);
      const row = rows[0];
      if (!row) {
        // released after a server error meanwhile: this copy runs instead
        return reply.status(409).header('retry-after', '1').send({ error: 'The earlier attempt with this key failed. Send it again.', code: 'conflict', fields: [] });
      }
      if (row.request_hash !== hash)
        throw new AppError('idempotency_mismatch', 422, 'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
      if (row.status === 'done') {
        reply.header('idempotent-replayed', 'true').status(row.response_status);
        if (row.response_type) reply.type(row.response_type);
        return reply.send(row.response_body);
      }
      if (clock.now().getTime() - row.created_at.getTime() > INTERRUPTED_AFTER_MS)
        throw conflict('An earlier attempt with this key was interrupted before it answered. Check whether it was recorded before sending it again with a new key.');
      if (Date.now() > deadline) {
        reply.header('retry-after', '2');
        throw conflict('The same request is still being processed. Retry in a moment with the same key.');
      }
      await sleep(POLL_MS);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = undefined;
    // a server error, or an answer that depends on the moment (signed out, a second factor
    // to give again), releases the key so the retry runs
    if (reply.statusCode >= 500 || reply.statusCode === 401 || reply.statusCode === 403) {
      await db.query('DELETE FROM idempotency_key WHERE scope = $1 AND key = $2', [claim.scope, claim.key]);
    } else {
      await db.query(
        `UPDATE idempotency_key SET status = 'done', response_status = $3, response_body = $4, response_type = $5, completed_at = $6 WHERE scope = $1 AND key = $2`,
        [claim.scope, claim.key, reply.statusCode, typeof payload === 'string' ? payload : String(payload ?? ''), String(reply.getHeader('content-type') ?? ''), clock.now()],
      );
    }
    return payload;
  });
}

/** Forgets answers older than a week (a scheduled job). */
export async function purgeIdempotencyKeys(db: Db, clock: Clock): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM idempotency_key WHERE created_at < $1', [new Date(clock.now().getTime() - KEEP_DAYS * 86_400_000)]);
  return rowCount;
}
