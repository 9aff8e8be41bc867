import type { Cadence } from '../types.ts';

/**
 * How often a program or meeting runs: '2か月に1回', '年2回', '年1回程度' /
 * 'every 2 months', 'twice a year', 'about once a year'. Null when the
 * cadence says nothing.
 */
export function formatCadence(cadence: Cadence | null | undefined, language: string): string | null {
  if (!cadence) return null;
  const japanese = language === 'ja' || language.startsWith('ja-');
  const base = japanese ? japaneseCadence(cadence) : englishCadence(cadence);
  if (!base) return null;
  if (!cadence.approximate) return base;
  return japanese ? `${base}程度` : `about ${base}`;
}

function japaneseCadence({ every, unit, timesPerYear }: Cadence): string | null {
  if (timesPerYear) return `年${timesPerYear}回`;
  if (!unit) return null;
  const n = every ?? 1;
  switch (unit) {
    case 'week': return n === 1 ? '週1回' : `${n}週間に1回`;
    case 'month': return n === 1 ? '月1回' : `${n}か月に1回`;
    case 'year': return n === 1 ? '年1回' : `${n}年に1回`;
  }
}

function englishCadence({ every, unit, timesPerYear }: Cadence): string | null {
  if (timesPerYear) {
    if (timesPerYear === 1) return 'once a year';
    if (timesPerYear === 2) return 'twice a year';
    return `${timesPerYear} times a year`;
  }
  if (!unit) return null;
  const n = every ?? 1;
  return n === 1 ? `once a ${unit}` : `every ${n} ${unit}s`;
}
