import { queryString, request } from '../api.ts';
import type {
  Change, Correction, Decision, DisclosurePackage, FileRegister, GroundCode, NewRequest, PrivacyPerson, RedactionDecision, Release, RequestDetail,
  RequestKind, RequestSummary,
} from './requestTypes.ts';

const req = (id: string) => `/api/privacy/requests/${encodeURIComponent(id)}`;

/** The privacy officer's calls (src/modules/privacy/routes.ts). Reading or releasing a package may ask for the code again (step-up). */
export const privacyApi = {
  findPersons: (q: string, signal?: AbortSignal) => request<{ items: PrivacyPerson[]; unlinked: UnlinkedRecord[] }>('GET', `/api/privacy/persons?${queryString({ q })}`, { signal }),
  personCorrections: (personId: string, signal?: AbortSignal) =>
    request<{ items: Correction[] }>('GET', `/api/persons/${encodeURIComponent(personId)}/corrections`, { signal }),
  /** Open requests by deadline, then decided ones newest first, a page at a time; `total` counts every page. */
  listRequests: (query: { status?: 'open' | 'decided' | 'all'; kind?: RequestKind; cursor?: string }, signal?: AbortSignal) =>
    request<{ items: RequestSummary[]; nextCursor: string | null; total: number }>('GET', `/api/privacy/requests?${queryString(query)}`, { signal }),
  registerRequest: (body: NewRequest, idempotencyKey?: string) => request<RequestDetail>('POST', '/api/privacy/requests', { body, idempotencyKey }),
  getRequest: (id: string, signal?: AbortSignal) => request<RequestDetail>('GET', req(id), { signal }),
  extend: (id: string, body: { version: number; reason: string; extendedOn?: string }) => request<RequestDetail>('POST', `${req(id)}/extend`, { body }),
  decide: (id: string, body: { version: number; decision: Decision; decidedOn?: string; reason?: string | null; changes?: Change[] }) =>
    request<RequestDetail>('POST', `${req(id)}/decide`, { body }),
  applyCorrection: (id: string, version: number) => request<RequestDetail>('POST', `${req(id)}/apply-correction`, { body: { version } }),
  liftSuspension: (suspensionId: string, body: { reason: string; liftedOn?: string }) =>
    request<RequestDetail>('POST', `/api/privacy/suspensions/${encodeURIComponent(suspensionId)}/lift`, { body }),
  getPackage: (id: string, signal?: AbortSignal) => request<DisclosurePackage>('GET', `${req(id)}/disclosure-package`, { signal }),
  setRedaction: (id: string, body: { key: string; redacted: boolean; ground?: GroundCode; reason: string }) =>
    request<RedactionDecision>('PUT', `${req(id)}/redactions`, { body }),
  release: (id: string) => request<{ release: Release; package: DisclosurePackage }>('POST', `${req(id)}/release`),
  grounds: (signal?: AbortSignal) => request<{ items: { code: GroundCode; text: string }[] }>('GET', '/api/privacy/grounds', { signal }),
  fileRegister: (signal?: AbortSignal) => request<FileRegister>('GET', '/api/privacy/file-register', { signal }),
};

/** A record naming someone with the searched name or contact but linked to no person record (a 訪問相談 application made without a case). */
export interface UnlinkedRecord { kind: 'home_visit_application'; id: string; recordedAt: string; organization: { id: string; name: string }; match: 'name' | 'contact' }
