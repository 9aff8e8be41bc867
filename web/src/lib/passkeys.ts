/**
 * Passkeys (WebAuthn) as the forms see them. Pure: tested with tables.
 */

/** Whether this browser has WebAuthn at all; without it the passkey buttons are not shown. */
export function browserSupportsPasskeys(scope: { PublicKeyCredential?: unknown } = globalThis as never): boolean {
  return typeof scope.PublicKeyCredential === 'function';
}

/**
 * What a failed navigator.credentials call means for the person, from the
 * DOMException name the browser gave (kept by @simplewebauthn/browser):
 * cancelled or timed out; this authenticator is already registered; the
 * page's address is not the one passkeys are set up for; anything else.
 * Null for errors that did not come from the browser's ceremony.
 */
export type CeremonyProblem = 'cancelled' | 'alreadyRegistered' | 'wrongSite' | 'failed';

export function ceremonyProblem(error: unknown): CeremonyProblem | null {
  if (!(error instanceof Error)) return null;
  switch (error.name) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'cancelled';
    case 'InvalidStateError':
      return 'alreadyRegistered';
    case 'SecurityError':
      return 'wrongSite';
    case 'ConstraintError':
    case 'NotSupportedError':
    case 'UnknownError':
      return 'failed';
    default:
      return null;
  }
}

/** A passkey's name as it is sent: trimmed; 1–60 characters. */
export const passkeyName = (typed: string) => typed.trim();
export const PASSKEY_NAME_MAX = 60;
export const isPasskeyName = (typed: string) => passkeyName(typed).length > 0 && passkeyName(typed).length <= PASSKEY_NAME_MAX;
