import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { PUBLIC, roles, SIGNED_IN } from '../../http/access.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { ROLES } from './roles.ts';
import { completeEnrollment, requireRecentSecondFactor, startEnrollment, stepUp, verifySecondFactor } from './mfa.ts';
import { passkeyRoutes } from './passkeyRoutes.ts';
import { listUsers, setSensitiveAccess } from './users.ts';
import { actorOf, sessionView, signIn, signOut, type Session } from './service.ts';

export const SESSION_COOKIE = 'tsunagu_session';

const SessionBody = Type.Object({
  user: Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() }),
  municipality: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  organization: Type.Object({ id: Uuid, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  sensitiveAccess: Type.Boolean({ description: 'whether this membership holds the 要配慮 grant' }),
  memberships: Type.Array(Type.Object({
    municipalityId: Uuid, municipalityName: Type.String(), organizationId: Uuid, organizationName: Type.String(), role: Type.String(), sensitiveAccess: Type.Boolean(),
  })),
  csrfToken: Type.String(),
});

export function authRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const present = async (s: Session) => ({
    user: s.user, ...(await sessionView(deps.db, s)), role: s.role, sensitiveAccess: s.sensitiveAccess, csrfToken: s.csrfToken,
  });

  app.get('/api/session', {
    config: { access: SIGNED_IN },
    schema: { tags: ['auth'], summary: 'The signed-in user, acting organisation and CSRF token', response: { 200: SessionBody, ...errorResponses(401) } },
  }, async (req) => present(req.session!));

  app.post('/api/session', {
    config: {
      access: PUBLIC,
      rateLimit: { max: config.auth.signInAttemptsPerMinute, timeWindow: 60_000 },
    },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with login and password',
      body: Type.Object({
        login: Type.String({ minLength: 1, maxLength: 100 }),
        password: Type.String({ minLength: 1, maxLength: 1000 }),
      }, { additionalProperties: false }),
      response: {
        200: Type.Union([SessionBody, Type.Object({ secondFactor: Type.Union([Type.Literal('verify'), Type.Literal('enroll')]) })], {
          description: 'the session, or which second-factor step comes next (verify a code, or enrol an authenticator on the first sign-in)',
        }),
        ...errorResponses(400, 401, 429),
      },
    },
  }, async (req, reply) => {
    const { login, password } = req.body as { login: string; password: string };
    const { token, session, secondFactor } = await signIn(deps, config.auth, {
      login, password, ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id,
    });
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: config.auth.secureCookies, path: '/',
      maxAge: config.auth.absoluteTimeoutHours * 3600,
    });
    return session ? present(session) : { secondFactor };
  });

  const limited = { access: PUBLIC, rateLimit: { max: config.auth.signInAttemptsPerMinute, timeWindow: 60_000 } };
  const cookieOf = (req: { cookies: Record<string, string | undefined> }) => req.cookies[SESSION_COOKIE];
  const who = (req: { ip: string; id: string }) => ({ ip: req.ip, requestId: req.id });

  app.post('/api/session/second-factor', {
    config: limited,
    schema: {
      tags: ['auth'], summary: 'Finish signing in with the authenticator code, or a single-use recovery code',
      body: Type.Object({
        code: Type.Optional(Type.String({ pattern: '^[0-9 ]{6,8}$' })),
        recoveryCode: Type.Optional(Type.String({ minLength: 10, maxLength: 20 })),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: SessionBody, ...errorResponses(400, 401, 429) },
    },
  }, async (req) => present(await verifySecondFactor(deps, config.auth, cookieOf(req), req.body as { code?: string; recoveryCode?: string }, who(req))));

  app.get('/api/session/enrollment', {
    config: limited,
    schema: {
      tags: ['auth'], summary: 'On the first sign-in: a new authenticator secret, as text and as a QR code',
      response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrSvg: Type.String() }), ...errorResponses(400, 401, 429) },
    },
  }, async (req) => startEnrollment(deps, config.auth, cookieOf(req)));

  app.post('/api/session/enrollment', {
    config: limited,
    schema: {
      tags: ['auth'], summary: 'Confirm the authenticator with its first code; answers the recovery codes, shown once',
      body: Type.Object({ code: Type.String({ pattern: '^[0-9 ]{6,8}$' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ session: SessionBody, recoveryCodes: Type.Array(Type.String()) }), ...errorResponses(400, 401, 429) },
    },
  }, async (req) => {
    const { session, recoveryCodes } = await completeEnrollment(deps, config.auth, cookieOf(req), (req.body as { code: string }).code, who(req));
    return { session: await present(session), recoveryCodes };
  });

  passkeyRoutes(app, deps, config, { sessionBody: SessionBody, present, cookieOf });

  app.post('/api/session/step-up', {
    config: { access: SIGNED_IN, rateLimit: { max: config.auth.signInAttemptsPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'], summary: 'Give the authenticator code again before a sensitive action',
      body: Type.Object({ code: Type.String({ pattern: '^[0-9 ]{6,8}$' }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => {
    await stepUp(deps, config.auth, req.session!, (req.body as { code: string }).code, actorOf(req.session!, req));
    return reply.status(204).send();
  });

  app.delete('/api/session', {
    config: { access: SIGNED_IN },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses(401, 403) } },
  }, async (req, reply) => {
    await signOut(deps, req.session!, actorOf(req.session!, req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  const DateTimeOrNull = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
  const UserListing = Type.Object({
    id: Uuid, login: Type.String(), displayName: Type.String(), active: Type.Boolean(), mfaEnrolled: Type.Boolean(),
    memberships: Type.Array(Type.Object({
      organizationId: Uuid, organizationName: Type.String(), role: Type.String(), active: Type.Boolean(),
      sensitiveAccess: Type.Boolean(), sensitiveGrantedAt: DateTimeOrNull, sensitiveGrantedBy: Type.Union([Type.String(), Type.Null()]),
    })),
  });
  app.get('/api/users', {
    config: { access: roles('system_admin', 'privacy_officer') },
    schema: { tags: ['users'], summary: "Staff accounts of this municipality, their roles and 要配慮 grants", response: { 200: Type.Object({ items: Type.Array(UserListing) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listUsers(deps.db, req.session!.municipalityId) }));

  app.put('/api/users/:id/memberships/:organizationId/sensitive-access', {
    config: { access: roles('system_admin') },
    schema: {
      tags: ['users'], summary: 'Give or take back the 要配慮 grant of a membership (asks for the code again)',
      params: Type.Object({ id: Uuid, organizationId: Uuid }, { additionalProperties: false }),
      body: Type.Object({ granted: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), config.auth.stepUpMinutes);
    const { id, organizationId } = req.params as { id: string; organizationId: string };
    const body = req.body as { granted: boolean; reason: string };
    await setSensitiveAccess(deps, actorOf(req.session!, req), { userId: id, organizationId, granted: body.granted, reason: body.reason.trim() });
    return reply.status(204).send();
  });
}
