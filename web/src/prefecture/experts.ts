import { queryString, request } from '../api.ts';

/** 多職種専門チーム (src/modules/prefecture/expertRoutes.ts). */
export interface ExpertConferenceSummary { id: string; heldOn: string; heldOnJa: string; title: string; submissions: number }
export interface ExpertConference extends ExpertConferenceSummary {
  seats: { id: string; name: string; nameEn: string | null; member: { userId: string; name: string } | null }[];
}
export interface ExpertAdvice { seat: string; seatName: string; member: string; text: string; recordedAt: string }
export interface ExpertSubmission {
  id: string;
  caseCode: string;
  ageBand: string | null;
  background: string;
  questions: { seq: number; text: string; advice: ExpertAdvice[] }[];
  conference: ExpertConferenceSummary;
  municipality: { id: string; code: string; name: string; nameEn: string | null };
  submittedAt: string;
  case: { id: string; reference: string } | null;
}

const e = encodeURIComponent;

export const expertApi = {
  members: (signal?: AbortSignal) => request<{ items: { userId: string; name: string }[]; seats: { id: string; name: string; nameEn: string | null }[] }>('GET', '/api/prefecture/expert-members', { signal }),
  conferences: (signal?: AbortSignal) => request<{ items: ExpertConferenceSummary[] }>('GET', '/api/prefecture/expert-conferences', { signal }),
  conference: (id: string, signal?: AbortSignal) => request<ExpertConference>('GET', `/api/prefecture/expert-conferences/${e(id)}`, { signal }),
  schedule: (body: { heldOn: string; title: string; seats: { seat: string; userId: string }[] }) =>
    request<ExpertConference>('POST', '/api/prefecture/expert-conferences', { body }),
  submissions: (q: { caseId?: string; conferenceId?: string }, signal?: AbortSignal) =>
    request<{ items: ExpertSubmission[] }>('GET', `/api/prefecture/expert-submissions?${queryString(q)}`, { signal }),
  submit: (body: { conferenceId: string; caseId: string; background: string; questions: string[] }) =>
    request<ExpertSubmission>('POST', '/api/prefecture/expert-submissions', { body }),
  advise: (id: string, answers: { questionSeq: number; text: string }[]) =>
    request<ExpertSubmission>('POST', `/api/prefecture/expert-submissions/${e(id)}/advice`, { body: { answers } }),
};

/** The places a refusal names in a field's text ("12–16" / "12〜16"), as [start, end) offsets. */
export function hitRanges(messages: string[]): [number, number][] {
  return messages.flatMap((m) => {
    const r = /(\d+)\s*[–〜~-]\s*(\d+)/.exec(m);
    return r ? [[Number(r[1]) - 1, Number(r[2])] as [number, number]] : [];
  });
}
