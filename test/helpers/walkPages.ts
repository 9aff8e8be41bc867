import assert from 'node:assert/strict';
import type { Db } from '../../src/db/index.ts';
import type { App } from '../../src/http/app.ts';

const withCursor = (url: string, cursor: string) => `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every page of a keyset-paged list, first to last, as the web app walks it:
 * each page asked for with the previous page's nextCursor.
 */
export async function walkPages<P extends Paged<unknown>>(app: App, headers: Record<string, string>, url: string): Promise<P[]> {
  const pages: P[] = [];
  for (let next: string | null = url; next !== null; ) {
    const res: { statusCode: number; body: string; json(): unknown } = await app.inject({ url: next, headers });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as P;
    pages.push(page);
    next = page.nextCursor === null ? null : withCursor(url, page.nextCursor);
    assert.ok(pages.length < 1000, 'the pages come to an end');
  }
  return pages;
}

/** A cursor of the right shape whose values are not ours, and one that is not a cursor at all: both answer 400 on `cursor`. */
const FORGED_CURSORS = ['not-a-cursor', Buffer.from(JSON.stringify([true, "x' OR 1=1 --", 'P2026-00001'])).toString('base64url')];

export async function assertCursorRefused(app: App, headers: Record<string, string>, url: string): Promise<void> {
  for (const cursor of FORGED_CURSORS) {
    const res = await app.inject({ url: withCursor(url, cursor), headers });
    assert.equal(res.statusCode, 400, `${cursor}: ${res.body}`);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['cursor']);
  }
}

/**
 * The rows of every page, after checking that together they are the table's
 * rows of the municipality, each once, and that every page but the last is full.
 */
export async function rowsOfEveryPage<T extends { id: string }>(db: Db, table: string, municipalityId: string, pages: Paged<T>[], pageSize: number): Promise<T[]> {
  const all = pages.flatMap((p) => p.items);
  const { rows: stored } = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE municipality_id = $1`, [municipalityId]);
  assert.deepEqual(all.map((r) => r.id).sort(), stored.map((r) => r.id).sort(), 'every row once, none twice');
  assert.ok(pages.slice(0, -1).every((p) => p.items.length === pageSize), 'every page but the last is full');
  return all;
}
