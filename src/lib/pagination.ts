import { Type } from 'typebox';
import { badRequest } from '../errors.ts';
import { Nullable, unstorable } from './schema.ts';

/** Keyset cursor over (timestamp, id) descending: stable under inserts, no OFFSET scans. */
export interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(`${c.at}|${c.id}`).toString('base64url');

const invalidCursor = () =>
  badRequest('The page cursor is not valid.', [{ field: 'cursor', message: 'Use the nextCursor value of the previous page.' }]);

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw invalidCursor();
  return { at, id };
}

/**
 * Keyset over any sort key, for lists whose order is not simply (time, id):
 * the cursor is the last row's key, one value per ORDER BY column, each
 * checked against its kind so it can be bound as a typed SQL parameter.
 * `null` is allowed only where the kind ends in '?' (a NULLS FIRST/LAST column).
 */
type KeyKind = 'timestamp' | 'date' | 'uuid' | 'int' | 'bool' | 'text';
export type KeyKindSpec = KeyKind | `${KeyKind}?`;
type KeyValue = string | number | boolean | null;
type ValueOf<K> = K extends `${infer B}?` ? ValueOf<B> | null : K extends 'int' ? number : K extends 'bool' ? boolean : string;
export type KeyValues<K extends readonly KeyKindSpec[]> = { -readonly [I in keyof K]: ValueOf<K[I]> };

// Date.parse rolls 2026-02-30 over to March and knows a year 0; the database refuses both: only a day of the calendar passes
const onCalendar = (v: string) => {
  const at = Date.parse(v);
  return !Number.isNaN(at) && !v.startsWith('0000') && new Date(at).toISOString().slice(0, 10) === v.slice(0, 10);
};

const VALID: Record<KeyKind, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && onCalendar(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && onCalendar(v),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  int: (v) => Number.isSafeInteger(v),
  bool: (v) => typeof v === 'boolean',
  text: (v) => typeof v === 'string' && v.length > 0 && v.length <= 200 && !unstorable(v),
};

export function encodeKeyset(values: readonly (KeyValue | Date)[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString('base64url');
}

export function decodeKeyset<const K extends readonly KeyKindSpec[]>(raw: string | undefined, kinds: K): KeyValues<K> | null {
  if (!raw) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw invalidCursor();
  kinds.forEach((spec, i) => {
    const optional = spec.endsWith('?');
    const v = values[i];
    if (!(optional && v === null) && !VALID[spec.replace('?', '') as KeyKind](v)) throw invalidCursor();
  });
  return values as KeyValues<K>;
}

/** One page of rows fetched with LIMIT limit + 1: the extra row only tells that there is a next page. */
export function keysetPage<R>(rows: R[], limit: number, keyOf: (last: R) => readonly (KeyValue | Date)[]): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeKeyset(keyOf(page[page.length - 1]!)) };
}

/** Query properties of a paged list route. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 400, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
};

export const NextCursor = Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page' }));

export interface PageParams {
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
