import { clearDrafts, clearOtherUsersDrafts, type DraftStorage } from '../lib/drafts.ts';

/** This tab's sessionStorage, or null where policy blocks it (forms then simply keep no draft). */
export function tabStorage(): DraftStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** At sign-out: forget every draft of this user in this tab. */
export const forgetDrafts = (userId: string) => clearDrafts(tabStorage(), userId);

/** When someone signs in: drafts another user left in this tab are not theirs to see. */
export const forgetOtherUsersDrafts = (userId: string) => clearOtherUsersDrafts(tabStorage(), userId);
