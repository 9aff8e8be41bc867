import { queryString, request } from '../api.ts';
import type { BreakGlassUse, BreakGlassUsePage } from '../lib/breakGlass.ts';

const e = encodeURIComponent;

/** 緊急時の閲覧 (src/modules/cases/breakGlassRoutes.ts). Starting asks for the code again (StepUpDialog). */
export const breakGlassApi = {
  /** Staff: open a case by its case number, read-only, for the configured time. */
  start: (body: { caseReference: string; reason: string }) => request<BreakGlassUse>('POST', '/api/break-glass', { body }),
  end: (id: string) => request<void>('POST', `/api/break-glass/${e(id)}/end`),
  /** Privacy officers and auditors: every use, those still to review first, then the newest first, a page at a time. */
  list: (query: { cursor?: string }, signal?: AbortSignal) => request<BreakGlassUsePage>('GET', `/api/break-glass?${queryString(query)}`, { signal }),
  review: (id: string, finding: string) => request<BreakGlassUse>('POST', `/api/break-glass/${e(id)}/review`, { body: { finding } }),
};
