import { queryString, request } from '../api.ts';
import type { MunicipalityRef } from './types.ts';

/** 訪問相談 (src/modules/prefecture/homeVisitRoutes.ts). */
export type ConsentField = 'name' | 'age' | 'contact' | 'situation';
export const CONSENT_FIELDS: ConsentField[] = ['name', 'age', 'contact', 'situation'];
export type HomeVisitStatus = 'not_passed' | 'passed' | 'accepted' | 'handed_back';
export type EligibilityRule = 'age' | 'schooling' | 'residence' | 'months_withdrawn';

export interface Facts { age: number; pastCompulsorySchooling: boolean; livesInMunicipality: boolean; monthsWithdrawn: number }
export interface Consent { by: 'person' | 'family'; relation: string | null; on: string; method: 'in_person' | 'phone' | 'written'; fields: ConsentField[] }
export interface Eligibility { eligible: boolean; reasons: { rule: EligibilityRule; message: string }[]; alternatives: string[]; visitsPerPerson: number | null }
export interface HandBack {
  kind: 'referral' | 'consultation'; organization: { id: string; name: string }; referralId: string | null; consultationId: string | null; note: string | null; at: string;
}
export interface WindowApplication extends Facts {
  id: string; municipality: MunicipalityRef; caseId: string | null; personName: string | null; contact: string | null; situation?: string | null;
  consent: Consent; eligibility: Eligibility; status: HomeVisitStatus; legalBasis: 'consent' | null; visitCount: number; handBack: HandBack | null; createdAt: string;
}
export interface HomeVisit { id: string; visitedOn: string; visitors: string[]; place: string; met: string; whatHappened?: string; recordedAt: string }
export interface CentreApplication {
  id: string; municipality: MunicipalityRef; fromCase: boolean; person: { name?: string; age?: number; contact?: string; situation?: string };
  pastCompulsorySchooling: boolean; monthsWithdrawn: number; consent: Consent; legalBasis: 'consent'; status: Exclude<HomeVisitStatus, 'not_passed'>;
  visits: HomeVisit[]; handBack: HandBack | null; passedAt: string; acceptedAt: string | null;
}
export interface ApplicationBody extends Facts {
  caseId?: string | null; personName?: string | null; contact?: string | null; situation?: string | null; consent: Consent;
}

const BASE = '/api/prefecture/home-visit-applications';
const e = encodeURIComponent;
const page = (cursor: string | undefined) => (cursor ? `?${queryString({ cursor })}` : '');

export const homeVisitApi = {
  eligibility: (body: Facts) => request<Eligibility>('POST', `${BASE}/eligibility`, { body }),
  apply: (body: ApplicationBody) => request<WindowApplication>('POST', BASE, { body }),
  /** A page of the window's applications, latest first. */
  list: (cursor: string | undefined, signal?: AbortSignal) =>
    request<{ items: WindowApplication[]; nextCursor: string | null }>('GET', `${BASE}${page(cursor)}`, { signal }),
  /** A page of the applications passed to the centre, latest passed first. */
  centreList: (cursor: string | undefined, signal?: AbortSignal) =>
    request<{ items: CentreApplication[]; nextCursor: string | null }>('GET', `${BASE}/centre${page(cursor)}`, { signal }),
  centreGet: (id: string, signal?: AbortSignal) => request<CentreApplication>('GET', `${BASE}/centre/${e(id)}`, { signal }),
  accept: (id: string) => request<CentreApplication>('POST', `${BASE}/centre/${e(id)}/accept`),
  visit: (id: string, body: { visitedOn: string; visitors: string[]; place: string; met: string; whatHappened: string }) =>
    request<CentreApplication>('POST', `${BASE}/centre/${e(id)}/visits`, { body }),
  targets: (id: string, signal?: AbortSignal) => request<{ items: { id: string; name: string }[] }>('GET', `${BASE}/centre/${e(id)}/hand-back-targets`, { signal }),
  handBack: (id: string, body: { toOrganizationId: string; note: string }) => request<CentreApplication>('POST', `${BASE}/centre/${e(id)}/hand-back`, { body }),
};
