/**
 * Merging an edit with someone else's that was saved first (the server
 * answered 409: the version read is stale). Three versions of the same
 * fields: what the user started from (base), what they typed (mine), and
 * what is recorded now (theirs). Pure: tested with tables.
 */

export type Side = 'mine' | 'theirs';

/** Fields that change together: age and age band, issue tags and the main issue. */
export interface MergeGroup<T> {
  key: string;
  fields: readonly (keyof T)[];
}

export interface MergeRow {
  key: string;
  /** The user changed this from what they started with. */
  mineChanged: boolean;
  /** Someone else changed it meanwhile. */
  theirsChanged: boolean;
  /** The side that keeps every change: null when both changed it (the user must choose). */
  suggested: Side | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const differs = <T>(a: T, b: T, fields: readonly (keyof T)[]) => fields.some((f) => !same(a[f], b[f]));

/** The groups where what the user typed and what is recorded now differ, in the order given. */
export function mergeRows<T>(base: T, mine: T, theirs: T, groups: readonly MergeGroup<T>[]): MergeRow[] {
  return groups
    .filter((g) => differs(mine, theirs, g.fields))
    .map((g) => {
      const mineChanged = differs(base, mine, g.fields);
      const theirsChanged = differs(base, theirs, g.fields);
      const suggested: Side | null = mineChanged && theirsChanged ? null : mineChanged ? 'mine' : 'theirs';
      return { key: g.key, mineChanged, theirsChanged, suggested };
    });
}

/** The suggested choice of each row; rows both sides changed are left for the user. */
export function suggestedChoices(rows: readonly MergeRow[]): Partial<Record<string, Side>> {
  const out: Partial<Record<string, Side>> = {};
  for (const row of rows) if (row.suggested) out[row.key] = row.suggested;
  return out;
}

/** The rows still without a choice. */
export const unchosen = (rows: readonly MergeRow[], choices: Partial<Record<string, Side>>) => rows.filter((r) => !choices[r.key]).map((r) => r.key);

/** What is recorded now, with the user's value in every group they chose to keep. */
export function mergeValues<T>(mine: T, theirs: T, groups: readonly MergeGroup<T>[], choices: Partial<Record<string, Side>>): T {
  const out = { ...theirs };
  for (const group of groups) {
    if (choices[group.key] !== 'mine') continue;
    for (const field of group.fields) out[field] = mine[field];
  }
  return out;
}
