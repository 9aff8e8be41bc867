import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { errorMessage } from '../components/Status.tsx';
import type { MeetingSessionDetail } from '../types.ts';

/**
 * A change to a session that answers the session as it now is: sends once,
 * hands the answer on, and keeps what went wrong — a 409 (someone changed
 * the session first) separately, so the page offers to load the latest.
 */
export function useSessionAction(onDone: (next: MeetingSessionDetail) => void) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; error: string | null; conflict: unknown; fields: Record<string, string> }>({ busy: false, error: null, conflict: null, fields: {} });
  async function run(call: () => Promise<MeetingSessionDetail>): Promise<boolean> {
    setState({ busy: true, error: null, conflict: null, fields: {} });
    try {
      onDone(await call());
      setState({ busy: false, error: null, conflict: null, fields: {} });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        setState({ busy: false, error: null, conflict: error, fields: {} });
      } else {
        const fields = error instanceof ApiError ? Object.fromEntries(error.fields.map((f) => [f.field, f.message])) : {};
        setState({ busy: false, error: error instanceof ApiError && error.status === 400 && error.fields.length > 0 ? error.fields.map((f) => f.message).join(' ') : errorMessage(t, error), conflict: null, fields });
      }
      return false;
    }
  }
  return { ...state, run, clear: () => setState({ busy: false, error: null, conflict: null, fields: {} }) };
}
