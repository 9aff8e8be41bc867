import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { PUBLIC, SIGNED_IN } from '../../http/access.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { ROLES } from './roles.ts';
import { actorOf, signIn, signOut, type Session } from './service.ts';

export const SESSION_COOKIE = 'tsunagu_session';

const SessionBody = Type.Object({
  user: Type.Object({ id: Uuid, login: Type.String(), displayName: Type.String() }),
  municipality: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  organization: Type.Object({ id: Uuid, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  memberships: Type.Array(Type.Object({
    municipalityId: Uuid, municipalityName: Type.String(), organizationId: Uuid, organizationName: Type.String(), role: Type.String(),
  })),
  csrfToken: Type.String(),
});

export function authRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const present = async (s: Session) => {
    const { rows } = await deps.db.query<{ code: string; mname: string; mname_en: string | null; oname: string; oname_en: string | null }>(
      `SELECT mu.code, mu.name AS mname, mu.name_en AS mname_en, o.name AS oname, o.name_en AS oname_en
       FROM municipality mu JOIN organization o ON o.municipality_id = mu.id AND o.id = $2 WHERE mu.id = $1`,
      [s.municipalityId, s.organizationId],
    );
    const r = rows[0];
    return {
      user: s.user,
      municipality: { id: s.municipalityId, code: r.code, name: r.mname, nameEn: r.mname_en },
      organization: { id: s.organizationId, name: r.oname, nameEn: r.oname_en },
      role: s.role,
      memberships: s.memberships,
      csrfToken: s.csrfToken,
    };
  };

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
      response: { 200: SessionBody, ...errorResponses(400, 401, 429) },
    },
  }, async (req, reply) => {
    const { login, password } = req.body as { login: string; password: string };
    const { token, session } = await signIn(deps, config.auth, {
      login, password, ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id,
    });
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: config.auth.secureCookies, path: '/',
      maxAge: config.auth.absoluteTimeoutHours * 3600,
    });
    return present(session);
  });

  app.delete('/api/session', {
    config: { access: SIGNED_IN },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses(401, 403) } },
  }, async (req, reply) => {
    await signOut(deps, req.session!, actorOf(req.session!, req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
}
