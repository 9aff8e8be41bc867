import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { newIdempotencyKey, readDraft, removeDraft, restoreValue, writeDraft } from '../lib/drafts.ts';
import { useSignedInSession } from '../session.tsx';
import { tabStorage } from './storage.ts';

/**
 * The Idempotency-Key of one new record: made when save is first pressed,
 * the same for every retry, renewed only once the server has answered for
 * good (see lib/retry.ts).
 */
export interface IdempotencyKey {
  current(): string;
  renew(): void;
}

/** A key for a form that keeps no draft (it lives as long as the form). */
export function useIdempotencyKey(): IdempotencyKey {
  const key = useRef<string | null>(null);
  return {
    current: () => (key.current ??= newIdempotencyKey()),
    renew: () => { key.current = null; },
  };
}

export interface Draft<T> {
  value: T;
  set: Dispatch<SetStateAction<T>>;
  /** A draft from earlier was put back into the form: say so, and offer to discard it. */
  restored: boolean;
  /** Forget the draft and start the form afresh. */
  discard(): void;
  /** Saved: the draft is no longer needed. */
  saved(): void;
  /** Kept with the draft, so a reload after a failed send still sends the same key. */
  key: IdempotencyKey;
}

/**
 * A form's content, kept in this tab's sessionStorage under the user and
 * `form` (e.g. 'consultation-new', 'contact:<case id>') as it is typed, and
 * put back when the form is opened again. A form left as it started keeps
 * no draft.
 */
export function useDraft<T>(form: string, initial: () => T): Draft<T> {
  const userId = useSignedInSession().user.id;
  const [start] = useState(() => {
    const value = initial();
    return { fresh: { value, json: JSON.stringify(value) }, stored: readDraft<T>(tabStorage(), userId, form) };
  });
  /** The form as it starts, to tell an untouched form (no draft) from a filled one. */
  const fresh = useRef(start.fresh);
  const [value, setValue] = useState<T>(() => (start.stored ? restoreValue(start.fresh.value, start.stored.value) : start.fresh.value));
  const [restored, setRestored] = useState(start.stored !== null);
  const key = useRef<string | null>(start.stored?.idempotencyKey ?? null);
  const done = useRef(false);

  const store = useCallback((next: T) => {
    if (done.current) return;
    if (JSON.stringify(next) === fresh.current.json && !key.current) removeDraft(tabStorage(), userId, form);
    else writeDraft(tabStorage(), userId, form, { value: next, savedAt: new Date().toISOString(), idempotencyKey: key.current });
  }, [userId, form]);

  useEffect(() => store(value), [value, store]);

  const set = useCallback<Dispatch<SetStateAction<T>>>((update) => {
    done.current = false;
    setValue(update);
  }, []);

  return {
    value,
    set,
    restored,
    discard() {
      key.current = null;
      removeDraft(tabStorage(), userId, form);
      const again = initial();
      fresh.current = { value: again, json: JSON.stringify(again) };
      setValue(again);
      setRestored(false);
    },
    saved() {
      done.current = true;
      key.current = null;
      removeDraft(tabStorage(), userId, form);
      setRestored(false);
    },
    key: {
      current() {
        if (!key.current) {
          key.current = newIdempotencyKey();
          // At once, not on the next change: a reload right after pressing save must still send this key.
          store(value);
        }
        return key.current;
      },
      renew() {
        key.current = null;
        store(value);
      },
    },
  };
}

/** Whether a form has a draft waiting (to open a folded form straight away). */
export function useHasDraft(form: string): boolean {
  const userId = useSignedInSession().user.id;
  const [has] = useState(() => readDraft(tabStorage(), userId, form) !== null);
  return has;
}
