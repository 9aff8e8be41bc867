import type { FieldError, Network, OrganizationDetail, Session, Vocabularies } from './types.ts';

/** An API answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldError[];
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, message: string, fields: FieldError[] = [], retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The session's CSRF token, sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401, i.e. the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** 401 is an expected answer here (checking or starting a session), not an expired session. */
  unauthorizedIsAnswer?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network error');
  }

  if (response.status === 401 && !options.unauthorizedIsAnswer) onUnauthorized?.();
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function toApiError(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`;
  let fields: FieldError[] = [];
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const b = body as { error?: unknown; fields?: unknown };
      if (typeof b.error === 'string') message = b.error;
      if (Array.isArray(b.fields)) fields = b.fields.filter(isFieldError);
    }
  } catch {
    // Not JSON (a proxy's error page, say): keep the status text.
  }
  return new ApiError(response.status, message, fields, parseRetryAfter(response.headers.get('retry-after')));
}

function isFieldError(value: unknown): value is FieldError {
  return !!value && typeof value === 'object'
    && typeof (value as FieldError).field === 'string'
    && typeof (value as FieldError).message === 'string';
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export const api = {
  getSession: (signal?: AbortSignal) =>
    request<Session>('GET', '/api/session', { signal, unauthorizedIsAnswer: true }),
  signIn: (login: string, password: string) =>
    request<Session>('POST', '/api/session', { body: { login, password }, unauthorizedIsAnswer: true }),
  signOut: () => request<void>('DELETE', '/api/session', { unauthorizedIsAnswer: true }),
  getVocabularies: (signal?: AbortSignal) => request<Vocabularies>('GET', '/api/vocabularies', { signal }),
  getNetwork: (signal?: AbortSignal) => request<Network>('GET', '/api/network', { signal }),
  getOrganization: (id: string, signal?: AbortSignal) =>
    request<OrganizationDetail>('GET', `/api/organizations/${encodeURIComponent(id)}`, { signal }),
};
