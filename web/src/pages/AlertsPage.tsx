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
          <AlertList key={cursor ?? ''} initial={resource.data.items} unreadInAll={resource.data.unread} />
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => (c ? `/alerts?cursor=${encodeURIComponent(c)}` : '/alerts')} />
        </>
      )}
    </article>
  );
}

function AlertList({ initial, unreadInAll }: { initial: Alert[]; unreadInAll: number }) {
  const { t } = useTranslation();
  const { refresh } = useAlertCount();
  const [alerts, setAlerts] = useState(initial);
  // the unread count is of every page, less those marked read here since
  const unread = unreadInAll - alerts.filter((a) => a.readAt !== null && initial.find((x) => x.id === a.id)?.readAt === null).length;
  return (
    <>
      <p className="count" role="status">{t('alerts.count', { count: alerts.length, unread })}</p>
      {alerts.length === 0
        ? <p className="empty">{t('alerts.empty')}</p>
        : (
          <ul className="records" data-testid="alerts">
            {alerts.map((a) => (
              <AlertItem
                key={a.id} alert={a}
                onRead={(readAt) => { setAlerts((all) => all.map((x) => (x.id === a.id ? { ...x, readAt } : x))); refresh(); }}
              />
            ))}
          </ul>
        )}
    </>
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
