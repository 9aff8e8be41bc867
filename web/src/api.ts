import type {
  Assessment, AssessmentInput, CaseDetail, CasePage, CaseQuery, CaseStatusChange, ConcernChallenge, ConcernSubmission, Consent, ConsentInput,
  ConsultationDetail, ConsultationPage, ConsultationPatch, ConsultationQuery, ContactRecord, ContactRecordInput, DuplicateCandidate, FieldError,
  Enrollment, EnrollmentResult, Network, NewCase, NewConsultation, NewReferral, OrganizationDetail, Person, PersonInput, PlanInput, Referral,
  ReferralQuery, ReferralStatusChange, RouteDecision, RoutingIntake, RoutingResult, RoutingRule, RuleSet, RuleSetVersion, Session, SignInAnswer,
  SupportPlan, TimelineEntry, Vocabularies,
} from './types.ts';
import type { SensitiveAccessChange, UserListing } from './types.ts';

/** An API answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldError[];
  /** Seconds from a Retry-After header (429, 503), when the server sent one. */
  readonly retryAfterSeconds: number | null;
  /** The server's stable error code (src/errors.ts: 'invalid_code', 'step_up_required'…), when it sent one. */
  readonly code: string | null;

  constructor(status: number, message: string, fields: FieldError[] = [], retryAfterSeconds: number | null = null, code: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
    this.code = code;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onStepUpRequired: (() => Promise<boolean>) | null = null;
let stepUpInProgress: Promise<boolean> | null = null;
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

/**
 * Called when a request answers 403 step_up_required (a sensitive action
 * after the last authenticator code got too old): asks for the code and
 * resolves true once it was accepted, false when the user cancelled.
 */
export function setStepUpHandler(handler: (() => Promise<boolean>) | null): void {
  onStepUpRequired = handler;
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** 401 is an expected answer here (checking or starting a session), not an expired session. */
  unauthorizedIsAnswer?: boolean;
  /**
   * Sent as the Idempotency-Key header: the same for every retry of one
   * create, so the server records it once and answers a retry with the first
   * result (src/modules/operations/idempotency.ts).
   */
  idempotencyKey?: string;
  /** The step-up itself: its refusal is the answer, not a reason to ask again. */
  noStepUp?: boolean;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

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
  return response;
}

/** A JSON request with the session's CSRF token, the step-up retry and error mapping (for feature modules' own API files). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (!response.ok) {
    const error = await toApiError(response);
    // A sensitive action wants the code again: ask, then try this call once more (callers see only the outcome).
    if (error.status !== 403 || error.code !== 'step_up_required' || options.noStepUp || !(await askForStepUp())) throw error;
    response = await send(method, path, options);
    if (!response.ok) throw await toApiError(response);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * Downloads a file (a CSV export) through the same path as other calls: a
 * step-up refusal asks for the code and tries once more. The browser saves
 * it under the name the server gave.
 */
export async function downloadFile(path: string, fallbackName = 'download.csv'): Promise<string> {
  let response = await send('GET', path, {});
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status !== 403 || error.code !== 'step_up_required' || !(await askForStepUp())) throw error;
    response = await send('GET', path, {});
    if (!response.ok) throw await toApiError(response);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  // RFC 6266: the UTF-8 name (filename*) over the ASCII fallback
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = (utf8 ? decodeURIComponent(utf8) : /filename="([^"]+)"/.exec(disposition)?.[1]) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** One dialog for all the calls refused at the same moment. */
function askForStepUp(): Promise<boolean> {
  if (!onStepUpRequired) return Promise.resolve(false);
  stepUpInProgress ??= onStepUpRequired().finally(() => { stepUpInProgress = null; });
  return stepUpInProgress;
}

async function toApiError(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`;
  let fields: FieldError[] = [];
  let code: string | null = null;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const b = body as { error?: unknown; fields?: unknown; code?: unknown };
      if (typeof b.error === 'string') message = b.error;
      if (Array.isArray(b.fields)) fields = b.fields.filter(isFieldError);
      if (typeof b.code === 'string') code = b.code;
    }
  } catch {
    // Not JSON (a proxy's error page, say): keep the status text.
  }
  return new ApiError(response.status, message, fields, parseRetryAfter(response.headers.get('retry-after')), code);
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
  /** The session, or which second-factor step comes next (the cookie is then a half-open session). */
  signIn: (login: string, password: string) =>
    request<SignInAnswer>('POST', '/api/session', { body: { login, password }, unauthorizedIsAnswer: true }),
  verifySecondFactor: (body: { code: string } | { recoveryCode: string }) =>
    request<Session>('POST', '/api/session/second-factor', { body, unauthorizedIsAnswer: true }),
  /** First sign-in: a new authenticator secret, as text and as a QR code. */
  getEnrollment: (signal?: AbortSignal) => request<Enrollment>('GET', '/api/session/enrollment', { signal, unauthorizedIsAnswer: true }),
  completeEnrollment: (code: string) =>
    request<EnrollmentResult>('POST', '/api/session/enrollment', { body: { code }, unauthorizedIsAnswer: true }),
  stepUp: (code: string) => request<void>('POST', '/api/session/step-up', { body: { code }, noStepUp: true }),
  signOut: () => request<void>('DELETE', '/api/session', { unauthorizedIsAnswer: true }),
  // 利用者と権限 (system_admin; privacy_officer reads). Changing a grant asks for the code again (StepUpDialog).
  listUsers: (signal?: AbortSignal) => request<{ items: UserListing[] }>('GET', '/api/users', { signal }),
  setSensitiveAccess: (userId: string, organizationId: string, body: SensitiveAccessChange) =>
    request<void>('PUT', `/api/users/${encodeURIComponent(userId)}/memberships/${encodeURIComponent(organizationId)}/sensitive-access`, { body }),
  getVocabularies: (signal?: AbortSignal) => request<Vocabularies>('GET', '/api/vocabularies', { signal }),
  getNetwork: (signal?: AbortSignal) => request<Network>('GET', '/api/network', { signal }),
  getOrganization: (id: string, signal?: AbortSignal) =>
    request<OrganizationDetail>('GET', `/api/organizations/${encodeURIComponent(id)}`, { signal }),

  listConsultations: (query: ConsultationQuery, signal?: AbortSignal) =>
    request<ConsultationPage>('GET', `/api/consultations?${queryString({ ...query })}`, { signal }),
  getConsultation: (id: string, signal?: AbortSignal) =>
    request<ConsultationDetail>('GET', `/api/consultations/${encodeURIComponent(id)}`, { signal }),
  recordConsultation: (body: NewConsultation, idempotencyKey?: string) =>
    request<ConsultationDetail>('POST', '/api/consultations', { body, idempotencyKey }),
  updateConsultation: (id: string, body: ConsultationPatch) =>
    request<ConsultationDetail>('PATCH', `/api/consultations/${encodeURIComponent(id)}`, { body }),
  routeConsultation: (id: string, body: RouteDecision) =>
    request<ConsultationDetail>('POST', `/api/consultations/${encodeURIComponent(id)}/route`, { body }),

  // Persons and cases. Names go to the server in a POST body where the API allows it (duplicates);
  // the person search is a GET by the API's design, so its query is never put in the page's own URL.
  searchPersons: (q: string, signal?: AbortSignal) =>
    request<{ items: Person[] }>('GET', `/api/persons?${queryString({ q })}`, { signal }),
  findDuplicatePersons: (body: PersonInput, signal?: AbortSignal) =>
    request<{ items: DuplicateCandidate[] }>('POST', '/api/persons/duplicates', { body, signal }),
  getPerson: (id: string, signal?: AbortSignal) => request<Person>('GET', `/api/persons/${encodeURIComponent(id)}`, { signal }),
  updatePerson: (id: string, body: { version: number } & PersonInput) =>
    request<Person>('PATCH', `/api/persons/${encodeURIComponent(id)}`, { body }),

  openCase: (body: NewCase, idempotencyKey?: string) => request<CaseDetail>('POST', '/api/cases', { body, idempotencyKey }),
  listCases: (query: CaseQuery, signal?: AbortSignal) => request<CasePage>('GET', `/api/cases?${queryString({ ...query })}`, { signal }),
  getCase: (id: string, signal?: AbortSignal) => request<CaseDetail>('GET', `/api/cases/${encodeURIComponent(id)}`, { signal }),
  changeCaseStatus: (id: string, body: CaseStatusChange) =>
    request<CaseDetail>('POST', `/api/cases/${encodeURIComponent(id)}/status`, { body }),
  getCaseTimeline: (id: string, signal?: AbortSignal) =>
    request<{ items: TimelineEntry[] }>('GET', `/api/cases/${encodeURIComponent(id)}/timeline`, { signal }),
  listContactRecords: (id: string, signal?: AbortSignal) =>
    request<{ items: ContactRecord[] }>('GET', `/api/cases/${encodeURIComponent(id)}/contact-records`, { signal }),
  addContactRecord: (id: string, body: ContactRecordInput, idempotencyKey?: string) =>
    request<ContactRecord>('POST', `/api/cases/${encodeURIComponent(id)}/contact-records`, { body, idempotencyKey }),
  listAssessments: (id: string, signal?: AbortSignal) =>
    request<{ items: Assessment[] }>('GET', `/api/cases/${encodeURIComponent(id)}/assessments`, { signal }),
  addAssessment: (id: string, body: AssessmentInput, idempotencyKey?: string) =>
    request<{ id: string }>('POST', `/api/cases/${encodeURIComponent(id)}/assessments`, { body, idempotencyKey }),
  listPlans: (id: string, signal?: AbortSignal) =>
    request<{ items: SupportPlan[] }>('GET', `/api/cases/${encodeURIComponent(id)}/plans`, { signal }),
  createPlan: (id: string, body: PlanInput, idempotencyKey?: string) =>
    request<{ id: string; planNo: number }>('POST', `/api/cases/${encodeURIComponent(id)}/plans`, { body, idempotencyKey }),
  recordConsent: (id: string, body: ConsentInput, idempotencyKey?: string) =>
    request<Consent>('POST', `/api/cases/${encodeURIComponent(id)}/consents`, { body, idempotencyKey }),
  withdrawConsent: (id: string, consentId: string, note: string) =>
    request<Consent>('POST', `/api/cases/${encodeURIComponent(id)}/consents/${encodeURIComponent(consentId)}/withdraw`, { body: { note } }),

  // Referrals (つなぎ)
  sendReferral: (caseId: string, body: NewReferral, idempotencyKey?: string) =>
    request<Referral>('POST', `/api/cases/${encodeURIComponent(caseId)}/referrals`, { body, idempotencyKey }),
  listReferrals: (query: ReferralQuery, signal?: AbortSignal) =>
    request<{ items: Referral[]; nextCursor: string | null }>('GET', `/api/referrals?${queryString({ ...query, open: query.open === undefined ? undefined : String(query.open) })}`, { signal }),
  getReferral: (id: string, signal?: AbortSignal) => request<Referral>('GET', `/api/referrals/${encodeURIComponent(id)}`, { signal }),
  /** The meeting sessions whose agenda held a case (a 支援会議 share points to one). */
  sessionsReviewingCase: async (caseId: string, signal?: AbortSignal) => ({
    items: await allPages((cursor) =>
      request<Paged<{ id: string; series: { id: string; name: string }; date: string; status: string }>>('GET', `/api/meetings/sessions?${queryString({ caseId, cursor, limit: 200 })}`, { signal })),
  }),
  changeReferralStatus: (id: string, body: ReferralStatusChange) =>
    request<Referral>('POST', `/api/referrals/${encodeURIComponent(id)}/status`, { body }),

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
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/** One page of a keyset-paged list; pass `nextCursor` as `cursor` for the next. */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every page of a keyset-paged list, for a view that needs the whole of a
 * bounded set (a month's calendar, the sessions that reviewed one case).
 */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<Paged<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
