/**
 * Drafts of forms, kept in sessionStorage so a reload, a slip of the back
 * button or an expired session does not lose what was typed. Never
 * localStorage: the desks share PCs, and sessionStorage ends with the tab.
 * Keyed by user and form; all of a user's drafts go at sign-out. Pure apart
 * from the storage passed in, so it is tested with a fake one.
 */

/** The part of the Web Storage API used here. */
export interface DraftStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredDraft<T> {
  value: T;
  /** ISO time of the last change. */
  savedAt: string;
  /** The Idempotency-Key of the send that has not yet succeeded, if one was tried. */
  idempotencyKey: string | null;
}

const PREFIX = 'tsunagu.draft:';
const FORMAT = 1;

export const draftKey = (userId: string, form: string) => `${PREFIX}${userId}:${form}`;

/** The draft of a form, or null when there is none or it cannot be read (another version of the app, storage blocked). */
export function readDraft<T>(storage: DraftStorage | null, userId: string, form: string): StoredDraft<T> | null {
  try {
    const text = storage?.getItem(draftKey(userId, form));
    if (!text) return null;
    const parsed = JSON.parse(text) as { format?: unknown; value?: unknown; savedAt?: unknown; idempotencyKey?: unknown };
    if (parsed.format !== FORMAT || parsed.value === undefined || typeof parsed.savedAt !== 'string') return null;
    return {
      value: parsed.value as T,
      savedAt: parsed.savedAt,
      idempotencyKey: typeof parsed.idempotencyKey === 'string' ? parsed.idempotencyKey : null,
    };
  } catch {
    return null;
  }
}

/** Keeps a draft; false when the storage refused it (full, or blocked by policy). */
export function writeDraft<T>(storage: DraftStorage | null, userId: string, form: string, draft: StoredDraft<T>): boolean {
  try {
    storage?.setItem(draftKey(userId, form), JSON.stringify({ format: FORMAT, ...draft }));
    return !!storage;
  } catch {
    return false;
  }
}

export function removeDraft(storage: DraftStorage | null, userId: string, form: string): void {
  try {
    storage?.removeItem(draftKey(userId, form));
  } catch {
    // nothing to remove when the storage cannot be used
  }
}

function removeWhere(storage: DraftStorage | null, keep: (userId: string) => boolean): void {
  if (!storage) return;
  try {
    const doomed: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const userId = key.slice(PREFIX.length).split(':')[0] ?? '';
      if (!keep(userId)) doomed.push(key);
    }
    for (const key of doomed) storage.removeItem(key);
  } catch {
    // storage blocked: nothing was kept either
  }
}

/** At sign-out: every draft of this user. */
export const clearDrafts = (storage: DraftStorage | null, userId: string) => removeWhere(storage, (id) => id !== userId);

/** When someone else signs in on this tab: the drafts of anyone else. */
export const clearOtherUsersDrafts = (storage: DraftStorage | null, userId: string) => removeWhere(storage, (id) => id === userId);

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A stored draft laid over a fresh form: only the fields the form has, of
 * the same kind, so a draft from an older version of the form cannot break it.
 */
export function restoreValue<T>(fresh: T, stored: unknown): T {
  if (!isPlainObject(fresh)) return typeof stored === typeof fresh && Array.isArray(stored) === Array.isArray(fresh) ? (stored as T) : fresh;
  if (!isPlainObject(stored)) return fresh;
  const out: Record<string, unknown> = { ...fresh };
  for (const [key, initial] of Object.entries(fresh)) {
    if (!(key in stored)) continue;
    const value = stored[key];
    // A field that starts empty (null) takes what was stored; any other keeps its kind.
    const sameKind = initial === null || (value !== null && typeof value === typeof initial && Array.isArray(value) === Array.isArray(initial));
    if (sameKind) out[key] = value;
  }
  return out as T;
}

/**
 * A random UUID for an Idempotency-Key. crypto.randomUUID needs a secure
 * context (https or localhost); an intranet server on plain http still has
 * crypto.getRandomValues.
 */
export function newIdempotencyKey(random: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof random.randomUUID === 'function') return random.randomUUID();
  const bytes = random.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
