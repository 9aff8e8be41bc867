import type { Clock } from './clock.ts';
import type { Db } from '../db/index.ts';

/** Who is acting, for what organisation, in which request: carried by every write and audited read. */
export interface Actor {
  userId: string | null;
  login: string | null;
  municipalityId: string | null;
  organizationId: string | null;
  role: string | null;
  /** Holds the 要配慮 grant (users without it never receive sensitive fields). */
  sensitiveAccess?: boolean;
  /** The municipality's network profile revision read with the session (see Session.networkRevision). */
  networkRevision?: number;
  requestId?: string;
  ip?: string;
}

/** What a service needs from the outside world; passed in, never global. */
export interface Deps {
  db: Db;
  clock: Clock;
}

export const systemActor = (what: string): Actor => ({
  userId: null,
  login: `system:${what}`,
  municipalityId: null,
  organizationId: null,
  role: null,
});
