import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Config } from '../../config.ts';
import { PUBLIC, SIGNED_IN } from '../../http/access.ts';
import { errorResponses, IdParams } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { requireRecentSecondFactor } from './mfa.ts';
import {
  finishPasskeyRegistration, finishPasskeySignIn, finishPasskeyStepUp, listPasskeys, passkeyOffered, relyingParty, removePasskey,
  startPasskeyRegistration, startPasskeySignIn, startPasskeyStepUp, type Passkey,
} from './passkeys.ts';
import { actorOf, type Session } from './service.ts';

// What the browser sends (navigator.credentials.create/get, as @simplewebauthn/browser encodes it): base64url text.
const b64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength });
const ExtensionResults = Type.Object({}, { additionalProperties: true, maxProperties: 16, description: "the browser's clientExtensionResults" });
const Attachment = Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]));

const Assertion = Type.Object({
  id: b64(1024),
  rawId: b64(1024),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: b64(4096),
    authenticatorData: b64(4096),
    signature: b64(2048),
    userHandle: Type.Optional(b64(128)),
  }, { additionalProperties: false }),
  clientExtensionResults: ExtensionResults,
  authenticatorAttachment: Attachment,
}, { additionalProperties: false, description: 'the assertion from navigator.credentials.get()' });

const Attestation = Type.Object({
  id: b64(1024),
  rawId: b64(1024),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: b64(4096),
    attestationObject: b64(32_768),
    authenticatorData: Type.Optional(b64(16_384)),
    transports: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z-]{1,20}$' }), { maxItems: 10 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(b64(4096)),
  }, { additionalProperties: false }),
  clientExtensionResults: ExtensionResults,
  authenticatorAttachment: Attachment,
}, { additionalProperties: false, description: 'the new credential from navigator.credentials.create()' });

// What the browser is given, as @simplewebauthn/server makes it (open to fields later versions add).
const Descriptor = Type.Object({ id: Type.String(), type: Type.String(), transports: Type.Optional(Type.Array(Type.String())) });
const RequestOptions = Type.Object({
  challenge: Type.String(),
  rpId: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer()),
  allowCredentials: Type.Optional(Type.Array(Descriptor)),
  userVerification: Type.Optional(Type.String()),
  hints: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: true, description: 'options for navigator.credentials.get()' });
const CreationOptions = Type.Object({
  challenge: Type.String(),
  rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }),
  user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
  pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() })),
  timeout: Type.Optional(Type.Integer()),
  attestation: Type.Optional(Type.String()),
  excludeCredentials: Type.Optional(Type.Array(Descriptor)),
  authenticatorSelection: Type.Optional(Type.Object({
    residentKey: Type.Optional(Type.String()), userVerification: Type.Optional(Type.String()),
    requireResidentKey: Type.Optional(Type.Boolean()), authenticatorAttachment: Type.Optional(Type.String()),
  }, { additionalProperties: true })),
  extensions: Type.Optional(Type.Object({ credProps: Type.Optional(Type.Boolean()) }, { additionalProperties: true })),
  hints: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: true, description: 'options for navigator.credentials.create()' });

const PasskeyBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  deviceType: Type.Union([Type.Literal('singleDevice'), Type.Literal('multiDevice')], { description: 'multiDevice: synced by the platform; singleDevice: a security key or one device' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const presentPasskey = (k: Passkey) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null });

/**
 * Passkeys: at sign-in after the password (/api/session/webauthn), for
 * step-up, and the account's own list (/api/account/passkeys). Adding and
 * removing one need a recent second factor.
 */
export function passkeyRoutes(
  app: FastifyInstance, deps: Deps, config: Config,
  signIn: { sessionBody: TSchema; present: (s: Session) => Promise<unknown>; cookieOf: (req: FastifyRequest) => string | undefined },
) {
  const { present, cookieOf } = signIn;
  const auth = config.auth;
  const rp = (req: FastifyRequest) => relyingParty(auth.webauthn, { protocol: req.protocol, host: req.host });
  const limited = { access: PUBLIC, rateLimit: { max: auth.signInAttemptsPerMinute, timeWindow: 60_000 } };
  const who = (req: FastifyRequest) => ({ ip: req.ip, requestId: req.id });

  app.get('/api/session/webauthn', {
    config: limited,
    schema: {
      tags: ['auth'], summary: 'After the password: whether this account can confirm with a passkey here',
      response: { 200: Type.Object({ passkey: Type.Boolean() }), ...errorResponses(401, 429) },
    },
  }, async (req) => ({ passkey: await passkeyOffered(deps, auth, cookieOf(req), rp(req)) }));

  app.post('/api/session/webauthn/options', {
    config: limited,
    schema: {
      tags: ['auth'], summary: "After the password: a challenge for the account's passkeys (valid 5 minutes, once)",
      response: { 200: RequestOptions, ...errorResponses(400, 401, 409, 429) },
    },
  }, async (req) => startPasskeySignIn(deps, auth, cookieOf(req), rp(req)));

  app.post('/api/session/webauthn', {
    config: limited,
    schema: {
      tags: ['auth'], summary: 'Finish signing in with a passkey instead of the code; a refused one counts towards the lock-out',
      body: Assertion,
      response: { 200: signIn.sessionBody, ...errorResponses(400, 401, 409, 429) },
    },
  }, async (req) => present(await finishPasskeySignIn(deps, auth, cookieOf(req), rp(req), req.body as AuthenticationResponseJSON, who(req))));

  const stepUpLimit = { access: SIGNED_IN, rateLimit: { max: auth.signInAttemptsPerMinute, timeWindow: 60_000 } };
  app.post('/api/session/webauthn/step-up/options', {
    config: stepUpLimit,
    schema: {
      tags: ['auth'], summary: 'Before a sensitive action: a challenge for your passkeys, instead of the code',
      response: { 200: RequestOptions, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (req) => startPasskeyStepUp(deps, req.session!, rp(req)));

  app.post('/api/session/webauthn/step-up', {
    config: stepUpLimit,
    schema: {
      tags: ['auth'], summary: 'Give the second factor again with a passkey; a refused one counts towards the lock-out',
      body: Assertion,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    await finishPasskeyStepUp(deps, auth, req.session!, rp(req), req.body as AuthenticationResponseJSON, actorOf(req.session!, req));
    return reply.status(204).send();
  });

  app.get('/api/account/passkeys', {
    config: { access: SIGNED_IN },
    schema: {
      tags: ['account'], summary: 'Your passkeys, and whether passkeys can be used on this server',
      response: { 200: Type.Object({ available: Type.Boolean(), items: Type.Array(PasskeyBody) }), ...errorResponses(401) },
    },
  }, async (req) => ({ available: rp(req) !== null, items: (await listPasskeys(deps.db, req.session!.user.id)).map(presentPasskey) }));

  app.post('/api/account/passkeys/options', {
    config: { access: SIGNED_IN },
    schema: {
      tags: ['account'], summary: 'Start adding a passkey (asks for the second factor again when the last one is old)',
      response: { 200: CreationOptions, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (req) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    return startPasskeyRegistration(deps, req.session!, rp(req));
  });

  app.post('/api/account/passkeys', {
    config: { access: SIGNED_IN },
    schema: {
      tags: ['account'], summary: 'Finish adding a passkey under a name; audited',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), credential: Attestation }, { additionalProperties: false }),
      response: { 201: PasskeyBody, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    const body = req.body as { name: string; credential: RegistrationResponseJSON };
    const key = await finishPasskeyRegistration(deps, req.session!, actorOf(req.session!, req), rp(req), body);
    return reply.status(201).send(presentPasskey(key));
  });

  app.delete('/api/account/passkeys/:id', {
    config: { access: SIGNED_IN },
    schema: {
      tags: ['account'], summary: 'Remove one of your passkeys (asks for the second factor again); the authenticator app stays',
      params: IdParams,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    await removePasskey(deps, req.session!, actorOf(req.session!, req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });
}
