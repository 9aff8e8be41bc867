import type * as Server from '../../../src/modules/stats/types.ts';
import type { Wire } from '../../../src/lib/wire.ts';
import { downloadFile, queryString, request } from '../api.ts';

// Figures by fiscal year (src/modules/stats/routes.ts), as the server declares them.
export type Count = Server.Count;
export type Ref = Server.Ref;
export type Row = Server.Row;
export type Period = Server.Period;
export type View = Server.View;
export type Figures = Server.Figures;
export type YearTotals = Server.YearTotals;
export type Years = Server.Years;
export type FindingKind = Server.FindingKind;
export type Finding = Wire<Server.Finding>;
export type Health = Wire<Server.Health>;
export type DrillRecord = Wire<Server.DrillRecord>;
export type Drill = Wire<Server.Drill>;

type Q = Record<string, string | number | undefined>;

export const statsApi = {
  figures: (q: { fiscalYear?: number; view?: View }, signal?: AbortSignal) => request<Figures>('GET', `/api/stats?${queryString(q)}`, { signal }),
  years: (q: { until?: number; count?: number; view?: View }, signal?: AbortSignal) => request<Years>('GET', `/api/stats/years?${queryString(q)}`, { signal }),
  health: (q: { fiscalYear?: number }, signal?: AbortSignal) => request<Health>('GET', `/api/stats/health?${queryString(q)}`, { signal }),
  records: (q: Q, signal?: AbortSignal) => request<Drill>('GET', `/api/stats/records?${queryString(q)}`, { signal }),
  /** Saves a file; asks for the authenticator code again first when the last one is too old. */
  download: (kind: 'xlsx' | 'csv' | 'csv-sjis', q: { fiscalYear?: number; view?: View }) =>
    downloadFile(kind === 'xlsx'
      ? `/api/stats/export.xlsx?${queryString(q)}`
      : `/api/stats/export.csv?${queryString({ ...q, encoding: kind === 'csv-sjis' ? 'shift_jis' : undefined })}`),
};

/** A count hidden in publication so that a small one cannot be worked out from the totals (secondary suppression). */
export const SECONDARY = '—';

/** A count as shown: numbers with separators, "<3" and "—" as they are. */
export function formatCount(c: Count, language: string): string {
  return typeof c === 'number' ? c.toLocaleString(language === 'en' ? 'en-GB' : 'ja-JP') : c;
}

/** The change from last year, as a signed number; null when either is suppressed. */
export function change(now: Count, before: Count): number | null {
  return typeof now === 'number' && typeof before === 'number' ? now - before : null;
}
