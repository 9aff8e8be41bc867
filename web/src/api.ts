import type {
  ConcernChallenge, ConcernSubmission, ConsultationDetail, ConsultationPage, ConsultationPatch, ConsultationQuery, FieldError,
  Network, NewConsultation, OrganizationDetail, RouteDecision, RoutingIntake, RoutingResult, RoutingRule, RuleSet, RuleSetVersion,
  Session, Vocabularies,
} from './types.ts';

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
let language: 'ja' | 'en' = 'ja';

/** The session's CSRF token, sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The UI language, sent as Accept-Language so the server's field messages come back in it. */
export function setRequestLanguage(next: 'ja' | 'en'): void {
  language = next;
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
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
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

  listConsultations: (query: ConsultationQuery, signal?: AbortSignal) =>
    request<ConsultationPage>('GET', `/api/consultations?${queryString({ ...query })}`, { signal }),
  getConsultation: (id: string, signal?: AbortSignal) =>
    request<ConsultationDetail>('GET', `/api/consultations/${encodeURIComponent(id)}`, { signal }),
  recordConsultation: (body: NewConsultation) => request<ConsultationDetail>('POST', '/api/consultations', { body }),
  updateConsultation: (id: string, body: ConsultationPatch) =>
    request<ConsultationDetail>('PATCH', `/api/consultations/${encodeURIComponent(id)}`, { body }),
  routeConsultation: (id: string, body: RouteDecision) =>
    request<ConsultationDetail>('POST', `/api/consultations/${encodeURIComponent(id)}/route`, { body }),

  getRoutingRules: (version: number | null, signal?: AbortSignal) =>
    request<RuleSet>('GET', `/api/routing/rules${version === null ? '' : `?version=${version}`}`, { signal }),
  getRoutingRuleVersions: (signal?: AbortSignal) =>
    request<{ items: RuleSetVersion[] }>('GET', '/api/routing/rules/versions', { signal }),
  saveRoutingRules: (body: { expectedVersion: number; note: string; rules: RoutingRule[] }) =>
    request<RuleSet>('PUT', '/api/routing/rules', { body }),
  /** Where an intake would go: under the rules in force, or under `rules` (a draft). */
  evaluateRouting: (body: { intake: RoutingIntake; rules?: RoutingRule[] }, signal?: AbortSignal) =>
    request<RoutingResult>('POST', '/api/routing/evaluate', { body, signal }),

  // Resident pages: no session, so a 401 (which they never expect) must not end anyone's session.
  getConcernChallenge: (municipality: string | null, signal?: AbortSignal) =>
    request<ConcernChallenge>('GET', `/api/public/concerns/challenge${municipality ? `?${queryString({ municipality })}` : ''}`, {
      signal, unauthorizedIsAnswer: true,
    }),
  submitConcern: (body: ConcernSubmission) =>
    request<{ receiptCode: string }>('POST', '/api/public/concerns', { body, unauthorizedIsAnswer: true }),
};

/** `a=1&b=x` from the defined values only. */
function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}
