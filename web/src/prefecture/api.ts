import { downloadFile, queryString, request } from '../api.ts';
import type { MunicipalityRef, NetworksSideBySide, PartnerGroupCounts, Proposal, ProposalAnswer, Visit, VisitDraft, VisitFields, VisitItem, VisitSummary } from './types.ts';

const e = encodeURIComponent;

/** The prefecture module's calls (src/modules/prefecture/routes.ts). */
export const prefectureApi = {
  municipalities: (signal?: AbortSignal) => request<{ items: MunicipalityRef[] }>('GET', '/api/prefecture/municipalities', { signal }),
  networks: (fiscalYear: number | undefined, signal?: AbortSignal) =>
    request<NetworksSideBySide>('GET', `/api/prefecture/networks?${queryString({ fiscalYear })}`, { signal }),

  partnerGroups: (fiscalYear: number | undefined, signal?: AbortSignal) =>
    request<PartnerGroupCounts>('GET', `/api/prefecture/partner-groups?${queryString({ fiscalYear })}`, { signal }),

  listVisits: (q: { municipality?: string }, signal?: AbortSignal) =>
    request<{ items: VisitSummary[] }>('GET', `/api/prefecture/visits?${queryString(q)}`, { signal }),
  draft: (municipality: string, signal?: AbortSignal) =>
    request<VisitDraft>('GET', `/api/prefecture/visits/draft?${queryString({ municipality })}`, { signal }),
  importText: (text: string) => request<Visit>('POST', '/api/prefecture/visits/import', { body: { text } }),
  getVisit: (id: string, signal?: AbortSignal) => request<Visit>('GET', `/api/prefecture/visits/${e(id)}`, { signal }),
  updateVisit: (id: string, body: VisitFields & { version: number }) => request<Visit>('PUT', `/api/prefecture/visits/${e(id)}`, { body }),
  downloadRecord: (id: string, format: 'docx' | 'txt', fallbackName: string) => downloadFile(`/api/prefecture/visits/${e(id)}/record.${format}`, fallbackName),

  listProposals: (q: { municipality?: string; open?: boolean }, signal?: AbortSignal) =>
    request<{ items: Proposal[] }>('GET', `/api/prefecture/proposals?${queryString({ municipality: q.municipality, open: q.open ? 'true' : undefined })}`, { signal }),
  propose: (body: { municipalityCode: string; gapRuleKey: string; heading: string; text: string }) =>
    request<VisitItem>('POST', '/api/prefecture/proposals', { body }),
  answer: (id: string, body: { status: ProposalAnswer; on: string; note: string | null }) =>
    request<VisitItem>('POST', `/api/prefecture/proposals/${e(id)}/status`, { body }),
};
