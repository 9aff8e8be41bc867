import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router-dom';
import { shouldAskForAlerts } from '../lib/breakGlass.ts';
import { alertsApi } from './api.ts';

interface AlertCount {
  /** Unread alerts; null until the first answer. */
  unread: number | null;
  /** Ask now (after marking one read, say). */
  refresh(): void;
}

const AlertCountContext = createContext<AlertCount>({ unread: null, refresh: () => undefined });

// How often the timer looks whether to ask; it asks at most once a minute (lib/breakGlass.ts).
const TICK_MS = 15_000;

/**
 * The unread count for the header: asked on arrival, on navigation now and
 * then, and once a minute while the user is at the tab, never from a tab left
 * alone (lib/breakGlass.ts shouldAskForAlerts says why).
 */
export function AlertCountProvider({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const [unread, setUnread] = useState<number | null>(null);
  const lastAsked = useRef<number | null>(null);
  const lastActivity = useRef(Date.now());
  const pending = useRef<AbortController | null>(null);

  const ask = useCallback(() => {
    if (pending.current) return;
    const controller = new AbortController();
    pending.current = controller;
    lastAsked.current = Date.now();
    alertsApi.list({ unread: true, limit: 1 }, controller.signal).then(
      (page) => setUnread(page.unread),
      () => undefined, // the count stays as it was; the next tick asks again
    ).finally(() => { if (pending.current === controller) pending.current = null; });
  }, []);

  const consider = useCallback((reason: 'tick' | 'navigation') => {
    const state = { now: Date.now(), lastAsked: lastAsked.current, lastActivity: lastActivity.current, visible: document.visibilityState === 'visible' };
    if (shouldAskForAlerts(reason, state)) ask();
  }, [ask]);

  useEffect(() => {
    const active = () => { lastActivity.current = Date.now(); };
    const tick = () => consider('tick');
    window.addEventListener('pointerdown', active, { passive: true });
    window.addEventListener('keydown', active, { passive: true });
    document.addEventListener('visibilitychange', tick);
    const timer = window.setInterval(tick, TICK_MS);
    return () => {
      window.removeEventListener('pointerdown', active);
      window.removeEventListener('keydown', active);
      document.removeEventListener('visibilitychange', tick);
      window.clearInterval(timer);
      pending.current?.abort();
      pending.current = null;
    };
  }, [consider]);

  useEffect(() => {
    lastActivity.current = Date.now();
    consider('navigation');
  }, [pathname, consider]);

  const refresh = useCallback(() => {
    pending.current?.abort();
    pending.current = null;
    ask();
  }, [ask]);

  return <AlertCountContext.Provider value={{ unread, refresh }}>{children}</AlertCountContext.Provider>;
}

export const useAlertCount = () => useContext(AlertCountContext);

/** 「お知らせ」 in the header, with the number of unread alerts. */
export function AlertsLink() {
  const { t } = useTranslation();
  const { unread } = useAlertCount();
  return (
    <NavLink to="/alerts" className="alerts-link no-print" data-testid="alerts-link" data-unread={unread ?? undefined}>
      {t('header.alerts')}
      {!!unread && (
        <>
          <span className="alerts-link__count" aria-hidden="true">{unread}</span>
          <span className="visually-hidden">{t('alerts.unreadCount', { count: unread })}</span>
        </>
      )}
    </NavLink>
  );
}
