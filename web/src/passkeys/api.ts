import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { request } from '../api.ts';
import type { Session } from '../types.ts';

/** One of the signed-in user's passkeys (src/modules/auth/passkeyRoutes.ts). */
export interface PasskeyListing {
  id: string;
  name: string;
  /** multiDevice: synced by the phone or computer; singleDevice: a security key or one device. */
  deviceType: 'singleDevice' | 'multiDevice';
  createdAt: string;
  lastUsedAt: string | null;
}

export const passkeyApi = {
  // After the password, in the half-open session: 401 means it has ended, not an expired sign-in.
  offeredAtSignIn: (signal?: AbortSignal) => request<{ passkey: boolean }>('GET', '/api/session/webauthn', { signal, unauthorizedIsAnswer: true }),
  signInOptions: () => request<PublicKeyCredentialRequestOptionsJSON>('POST', '/api/session/webauthn/options', { unauthorizedIsAnswer: true }),
  signIn: (credential: AuthenticationResponseJSON) =>
    request<Session>('POST', '/api/session/webauthn', { body: credential, unauthorizedIsAnswer: true }),
  // Step-up: its refusal is the answer, never a reason to ask for the step-up again.
  stepUpOptions: () => request<PublicKeyCredentialRequestOptionsJSON>('POST', '/api/session/webauthn/step-up/options', { noStepUp: true }),
  stepUp: (credential: AuthenticationResponseJSON) => request<void>('POST', '/api/session/webauthn/step-up', { body: credential, noStepUp: true }),
  // アカウント設定: adding and removing ask for the second factor again when it is old (StepUpDialog).
  list: (signal?: AbortSignal) => request<{ available: boolean; items: PasskeyListing[] }>('GET', '/api/account/passkeys', { signal }),
  registrationOptions: () => request<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/account/passkeys/options'),
  register: (name: string, credential: RegistrationResponseJSON) =>
    request<PasskeyListing>('POST', '/api/account/passkeys', { body: { name, credential } }),
  remove: (id: string) => request<void>('DELETE', `/api/account/passkeys/${encodeURIComponent(id)}`),
};
