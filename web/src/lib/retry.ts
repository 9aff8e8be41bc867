import { ApiError } from '../api.ts';

/**
 * Sending a new record again after a failure nobody can be sure of (no
 * answer, the server or a gateway briefly unavailable). Safe only because
 * every retry carries the same Idempotency-Key: the server records the
 * record once and answers a retry with the first result.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry is scheduled that would start later than this after the first attempt. */
  budgetMs: number;
  /** The wait before the first retry when the server says nothing; doubled each time. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Four attempts within 18 seconds: long enough for a server restart, short enough that nobody waits in doubt. */
export const SEND_RETRY: RetryPolicy = { maxAttempts: 4, budgetMs: 18_000, baseDelayMs: 1_000, maxDelayMs: 8_000 };

/**
 * Whether the outcome of a failed send is unknown, so the same request may
 * be sent again with the same key: no answer at all (status 0), a gateway or
 * the server unavailable (502, 503, 504), or the server still busy with the
 * same key or released it after a failure (409 with Retry-After, from
 * src/modules/operations/idempotency.ts). An ordinary 409 has no Retry-After.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504) return true;
  return error.status === 409 && error.retryAfterSeconds !== null;
}

/**
 * Whether the server decided on this key for good (it stores every answer
 * but a 5xx), so a later send must use a new one. A 401 or 429 is decided
 * before the key is looked at, and an unknown outcome may still be a saved
 * record: those keep the key.
 */
export function keyIsSpent(error: unknown): boolean {
  if (!(error instanceof ApiError) || outcomeUnknown(error)) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429;
}

/** The server's answer when the key was already used for other content (the form changed after a failed send). */
export const isKeyReusedForOtherContent = (error: unknown) =>
  error instanceof ApiError && error.status === 422 && error.code === 'idempotency_mismatch';

/**
 * How long to wait before attempt `attempt + 1`, or null to stop: Retry-After
 * when the server sent it, otherwise 1 s, 2 s, 4 s…; never past the budget.
 */
export function nextDelay(attempt: number, retryAfterSeconds: number | null, elapsedMs: number, policy: RetryPolicy = SEND_RETRY): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const delay = retryAfterSeconds !== null
    ? retryAfterSeconds * 1000
    : Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return elapsedMs + delay > policy.budgetMs ? null : delay;
}

interface RetryOptions {
  policy?: RetryPolicy;
  /** Told before each wait: which attempt comes next and after how long. */
  onRetry?(nextAttempt: number, delayMs: number): void;
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt`, and again while its outcome is unknown and the policy allows; the last error is thrown. */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { policy = SEND_RETRY, onRetry, sleep = wait, now = Date.now } = options;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      const delay = nextDelay(n, (error as ApiError).retryAfterSeconds, now() - started, policy);
      if (delay === null) throw error;
      onRetry?.(n + 1, delay);
      await sleep(delay);
    }
  }
}
