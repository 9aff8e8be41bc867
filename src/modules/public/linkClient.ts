import { setTimeout as delay } from 'node:timers/promises';
import type { MunicipalitySnapshot, RawInbox } from './crossing.ts';
import type { EventCounts } from './events.ts';

/**
 * The staff side's end of the link over HTTP: the same pull interface as
 * `localInbox`, and the push of the public snapshot. Only the staff side
 * calls; every call carries the shared secret. Each call is idempotent, so a
 * failed attempt is simply tried again; what still fails is left to the next
 * scheduled run.
 */

export interface PublishedState {
  municipalityId: string;
  code: string;
  hash: string;
}

export interface PublicLink {
  /** Submissions as they come over the wire: the staff side checks them (`checkedInbox`) before taking them in. */
  inbox: RawInbox;
  /** What the public side holds now, so the staff side pushes only what changed (or what the public side lost). */
  snapshotStates(): Promise<PublishedState[]>;
  pushSnapshot(hash: string, snapshot: MunicipalitySnapshot): Promise<void>;
  removeSnapshot(municipalityId: string): Promise<void>;
  /** Registration counts per event (never registrants' details); absent on links that predate events. */
  eventCounts?(): Promise<EventCounts[]>;
}

export class LinkError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'LinkError';
  }
}

export interface HttpLinkOptions {
  /** Tries per call, the first included. */
  attempts?: number;
  /** Waits between tries, growing; a test makes it short. */
  backoffMs?: number;
  timeoutMs?: number;
}

export function httpLink(baseUrl: string, secret: string, opts: HttpLinkOptions = {}): PublicLink {
  const base = baseUrl.replace(/\/+$/, '');
  const attempts = opts.attempts ?? 3;
  const backoffMs = opts.backoffMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        if (res.status === 204) return undefined;
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        let message = text.slice(0, 300);
        try {
          message = (JSON.parse(text) as { error?: string }).error ?? message;
        } catch { /* not JSON: keep the text */ }
        const err = new LinkError(`The public side answered ${res.status} to ${method} ${path}: ${message}`, res.status);
        // a wrong secret or a refused body does not get better by asking again
        if (res.status < 500 && res.status !== 429 && res.status !== 408) throw err;
        last = err;
      } catch (err) {
        if (err instanceof LinkError && err.status !== null && err.status < 500 && err.status !== 429 && err.status !== 408) throw err;
        last = err instanceof LinkError ? err : new LinkError(`The public side at ${base} cannot be reached (${method} ${path}): ${(err as Error).message}`, null);
      }
      if (attempt < attempts) await delay(backoffMs * attempt);
    }
    throw last;
  }

  return {
    inbox: {
      async fetch(limit) {
        return (await call<{ items: unknown[] }>('GET', `/api/link/submissions?limit=${limit}`))?.items ?? [];
      },
      async confirm(items) {
        if (items.length) await call('POST', '/api/link/submissions/confirm', { items });
      },
    },
    async snapshotStates() {
      return (await call<{ items: PublishedState[] }>('GET', '/api/link/snapshots'))?.items ?? [];
    },
    async pushSnapshot(hash, snapshot) {
      await call('PUT', `/api/link/snapshots/${encodeURIComponent(snapshot.municipality.id)}`, { hash, snapshot });
    },
    async removeSnapshot(municipalityId) {
      await call('DELETE', `/api/link/snapshots/${encodeURIComponent(municipalityId)}`);
    },
    async eventCounts() {
      return (await call<{ items: EventCounts[] }>('GET', '/api/link/event-counts'))?.items ?? [];
    },
  };
}
