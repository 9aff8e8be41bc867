import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Role } from '../modules/auth/roles.ts';
import type { Session } from '../modules/auth/service.ts';

/**
 * What a route needs before it runs. Every route declares one in
 * `config.access`; a route without a declaration is refused (deny by default),
 * and a test lists every route of the app to prove none lacks one.
 */
export type Access =
  | { kind: 'public' }
  /** Operator commands from this machine: the token is in a file only the server's user can read. */
  | { kind: 'control' }
  /** The staff side pulling from (and pushing to) the public side, with the secret both were given (TSUNAGU_PULL_SECRET). */
  | { kind: 'link' }
  | { kind: 'session' }
  | { kind: 'roles'; roles: readonly Role[] };

export const PUBLIC: Access = { kind: 'public' };
export const LINK: Access = { kind: 'link' };
export const SIGNED_IN: Access = { kind: 'session' };
export const roles = (...r: Role[]): Access => ({ kind: 'roles', roles: r });

declare module 'fastify' {
  interface FastifyInstance {
    controlToken: string | null;
    /** Set on the public side only. */
    linkSecret?: string | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    session: Session | null;
  }
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Checks the declared access of the route against the request's session. */
export function enforceAccess(req: FastifyRequest, _reply: FastifyReply): void {
  // the not-found handler answers 404 (or the single-page app) to anyone
  if (req.is404) return;
  const access = req.routeOptions.config?.access;
  if (!access) throw forbidden('This route declares no access rule and is closed.');
  if (access.kind === 'public') return;
  if (access.kind === 'control') {
    const expected = req.server.controlToken;
    const given = req.headers['x-tsunagu-control'];
    if (!expected || typeof given !== 'string' || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      throw forbidden('Operator commands need the control token of this server.');
    return;
  }
  if (access.kind === 'link') return checkLinkSecret(req.server.linkSecret ?? null, req.headers.authorization);
  const session = req.session;
  if (!session) throw unauthenticated();
  if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken)
    throw forbidden('The request lacks a valid CSRF token. Reload the page and try again.');
  if (access.kind === 'roles' && !access.roles.includes(session.role)) throw forbidden();
}

/**
 * Compares the bearer secret in constant time: both sides are hashed first,
 * so neither the content nor the length of the expected secret shows in the
 * time a wrong guess takes.
 */
export function checkLinkSecret(expected: string | null, authorization: string | undefined): void {
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!given) throw unauthenticated('Give the pull secret (TSUNAGU_PULL_SECRET) as a bearer token.');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!expected || !timingSafeEqual(digest(given), digest(expected))) throw forbidden('The pull secret is not correct.');
}
