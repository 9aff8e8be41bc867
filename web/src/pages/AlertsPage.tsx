import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAlertCount } from '../alerts/AlertCount.tsx';
import { alertsApi, type Alert } from '../alerts/api.ts';
import { useSaid } from '../cases/useSaid.tsx';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { Pager } from '../components/Pager.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, errorMessage, Loading } from '../components/Status.tsx';
import { alertLink } from '../lib/breakGlass.ts';
import { useResource } from '../useResource.ts';

/** お知らせ: alerts to the user or their role, newest first, a page at a time (the page in the URL), each marked read by hand. */
export function AlertsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`alerts:${cursor ?? ''}`, (signal) => alertsApi.list({ cursor }, signal));
  usePageTitle(t('alerts.title'));
  return (
    <article className="page alerts">
      <h1>{t('alerts.title')}</h1>
      <p className="page__intro">{t('alerts.intro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <AlertList key={cursor ?? ''} initial={resource.data.items} unreadInAll={resource.data.unread} firstPage={!cursor} />
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => (c ? `/alerts?cursor=${encodeURIComponent(c)}` : '/alerts')} />
        </>
      )}
    </article>
  );
}

function AlertList({ initial, unreadInAll, firstPage }: { initial: Alert[]; unreadInAll: number; firstPage: boolean }) {
  const { t } = useTranslation();
  const { refresh } = useAlertCount();
  const [said, say] = useSaid();
  const [alerts, setAlerts] = useState(initial);
  // the unread count is of every page: as the server last said, less those marked read here since
  const [count, setCount] = useState({ unread: unreadInAll, readHere: 0 });
  const unread = count.unread - count.readHere;

  function allRead(through: string, left: number) {
    const at = new Date().toISOString();
    setAlerts((all) => all.map((a) => (a.readAt === null && a.createdAt <= through ? { ...a, readAt: at } : a)));
    setCount({ unread: left, readHere: 0 });
    refresh();
    say((t) => t('alerts.markedAllRead'));
  }

  return (
    <>
      <p className="count" role="status">{t('alerts.count', { count: alerts.length, unread })}</p>
      {firstPage && unread > 0 && alerts.length > 0 && <MarkAllRead through={alerts[0]!.createdAt} onDone={allRead} />}
      {said}
      {alerts.length === 0
        ? <p className="empty">{t('alerts.empty')}</p>
        : (
          <ul className="records" data-testid="alerts">
            {alerts.map((a) => (
              <AlertItem
                key={a.id} alert={a}
                onRead={(readAt) => {
                  setAlerts((all) => all.map((x) => (x.id === a.id ? { ...x, readAt } : x)));
                  setCount((c) => ({ ...c, readHere: c.readHere + 1 }));
                  refresh();
                }}
              />
            ))}
          </ul>
        )}
    </>
  );
}

/** すべて既読: up to the newest alert shown, so one that arrives meanwhile stays unread. */
function MarkAllRead({ through, onDone }: { through: string; onDone(through: string, unreadLeft: number): void }) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function markAll() {
    if (saving) return;
    setSaving(true);
    setError(null);
    try {
      const { unread } = await alertsApi.markAllRead(through);
      onDone(through, unread);
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="alerts__all no-print">
      <button type="button" className="button button--secondary" onClick={() => void markAll()} disabled={saving} aria-describedby="alerts-all-hint">
        {t('alerts.markAllRead')}
      </button>
      <p id="alerts-all-hint" className="section__hint">{t('alerts.markAllReadHint')}</p>
      {error && <p role="alert" className="form-error">{error}</p>}
    </div>
  );
}

function AlertItem({ alert: a, onRead }: { alert: Alert; onRead(readAt: string): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const link = alertLink(a);
  const unread = a.readAt === null;
  const subjectId = `alert-${a.id}-subject`;

  async function markRead() {
    if (saving) return;
    setSaving(true);
    setError(null);
    try {
      await alertsApi.markRead(a.id);
      setSaving(false);
      onRead(new Date().toISOString());
      say((t) => t('alerts.markedRead'));
    } catch (e) {
      setSaving(false);
      setError(errorMessage(t, e));
    }
  }

  return (
    <li className={unread ? 'record card alert alert--unread' : 'record card alert'} data-testid="alert" data-unread={unread}>
      <h2 className="record__title">
        <span id={subjectId} lang="ja">{a.subject}</span>
        <span className="record__when"><DateTimeText value={a.createdAt} /></span>
      </h2>
      {unread && <p className="badges"><Badge tone="urgent">{t('alerts.unread')}</Badge></p>}
      <p className="prewrap" lang="ja">{a.body}</p>
      {said}
      {error && <p role="alert" className="form-error">{error}</p>}
      <p className="alert__actions no-print">
        {link && <Link className="button button--secondary button--small" to={link} aria-describedby={subjectId}>{t('alerts.open')}</Link>}
        {unread && (
          <button type="button" className="button button--small" onClick={() => void markRead()} disabled={saving} aria-describedby={subjectId}>
            {t('alerts.markRead')}
          </button>
        )}
      </p>
    </li>
  );
}
