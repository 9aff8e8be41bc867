import { badRequest } from '../errors.ts';

/** Keyset cursor over (timestamp, id) descending: stable under inserts, no OFFSET scans. */
export interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(`${c.at}|${c.id}`).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id))
    throw badRequest('The page cursor is not valid.', [{ field: 'cursor', message: 'Use the nextCursor value of the previous page.' }]);
  return { at, id };
}
