import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import { forgetDrafts, forgetOtherUsersDrafts } from './drafts/storage.ts';
import type { SecondFactorStep, Session } from './types.ts';

/** Why nobody is signed in: it decides whether sign-in returns to the page. */
export type SignedOutReason = 'notSignedIn' | 'expired' | 'signedOut';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unavailable'; error: unknown }
  | { status: 'signedOut'; reason: SignedOutReason }
  | { status: 'signedIn'; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** The password: signed in, or the second-factor step that comes next. */
  signIn(login: string, password: string): Promise<'signedIn' | SecondFactorStep>;
  /** The session the second factor opened; the app is signed in from here. */
  completeSignIn(session: Session): void;
  signOut(): Promise<void>;
  recheck(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const applySession = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    forgetOtherUsersDrafts(session.user.id);
    setState({ status: 'signedIn', session });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    api.getSession(controller.signal).then(applySession, (error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) setState({ status: 'signedOut', reason: 'notSignedIn' });
      else setState({ status: 'unavailable', error });
    });
    return () => controller.abort();
  }, [applySession, attempt]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ status: 'signedOut', reason: 'expired' });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const value = useMemo<SessionContextValue>(() => ({
    state,
    async signIn(login, password) {
      const answer = await api.signIn(login, password);
      if ('secondFactor' in answer) return answer.secondFactor;
      applySession(answer);
      return 'signedIn';
    },
    completeSignIn: applySession,
    async signOut() {
      // Signing out ends the drafts too (shared PCs); an expired session keeps them for the next sign-in.
      if (state.status === 'signedIn') forgetDrafts(state.session.user.id);
      try {
        await api.signOut();
      } finally {
        // Even if the server did not answer, this browser forgets the session.
        setCsrfToken(null);
        setState({ status: 'signedOut', reason: 'signedOut' });
      }
    },
    recheck() {
      setState({ status: 'loading' });
      setAttempt((n) => n + 1);
    },
  }), [state, applySession]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session; only for components under the signed-in routes. */
export function useSignedInSession(): Session {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useSignedInSession without a session');
  return state.session;
}
