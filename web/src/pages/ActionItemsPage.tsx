import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { isHub } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Choice, FormField } from '../components/Form.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { meetingsApi } from '../meetings/api.ts';
import { OrgName } from '../network/Names.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { useSignedInSession } from '../session.tsx';
import type { MeetingActionItem } from '../types.ts';
import { useImmediate } from '../useImmediate.ts';
import { useResource } from '../useResource.ts';

type StatusFilter = 'open' | 'done' | 'all';
const STATUS_FILTERS: readonly StatusFilter[] = ['open', 'done', 'all'];

/**
 * 対応事項: what meetings asked this organisation to do, by when — open ones
 * first, overdue ones marked — and closed here with a note. The coordinator
 * sees every organisation's. Filters and the page live in the URL; the
 * counts are of every page, as the server gives them.
 */
export function ActionItemsPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const hub = isHub(session.role);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const raw = params.get('status');
  const status: StatusFilter = (STATUS_FILTERS as readonly string[]).includes(raw ?? '') ? (raw as StatusFilter) : 'open';
  const scope = hub && params.get('scope') !== 'mine' ? 'all' : 'mine';
  const [mineShown, showMine] = useImmediate(scope === 'mine');
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`action-items:${status}:${scope}:${cursor ?? ''}`, (signal) => meetingsApi.listActionItems({ status, scope, cursor }, signal));
  const [changed, setChanged] = useState<Record<string, MeetingActionItem>>({});
  usePageTitle(t('actionItems.title'));

  const link = (next: { status?: StatusFilter; scope?: 'mine' | 'all'; cursor?: string }) => {
    const p = new URLSearchParams();
    const s = next.status ?? status;
    if (s !== 'open') p.set('status', s);
    if (hub && (next.scope ?? scope) === 'mine') p.set('scope', 'mine');
    if (next.cursor) p.set('cursor', next.cursor);
    const q = p.toString();
    return q ? `/action-items?${q}` : '/action-items';
  };
  // in the server's order; an item closed here stays in its place until the next load
  const items = resource.status === 'ok' ? resource.data.items.map((i) => changed[i.id] ?? i) : [];
  const total = resource.status === 'ok' ? resource.data.total : 0;
  // overdue over every page as loaded, less those closed here since
  const overdue = resource.status === 'ok' ? resource.data.overdue - resource.data.items.filter((i) => i.overdue && changed[i.id] && changed[i.id]!.status !== 'open').length : 0;

  return (
    <article className="page action-items">
      <div className="page__heading">
        <h1>{t('actionItems.title')}</h1>
        <div className="page__actions no-print">
          <button type="button" className="button button--secondary" onClick={reload}>{t('queue.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{hub && scope === 'all' ? t('actionItems.introAll') : <>{t('actionItems.intro')}（<LocalName item={session.organization} />）</>}</p>
      <nav aria-label={t('actionItems.filter')} className="tabs no-print">
        <ul>
          {STATUS_FILTERS.map((s) => <li key={s}><Link to={link({ status: s })} aria-current={status === s ? 'page' : undefined}>{t(`actionItems.filterValue.${s}`)}</Link></li>)}
        </ul>
      </nav>
      {hub && (
        <div className="filter filter--inline no-print">
          <Choice type="checkbox" name="action-items-mine" value="mine" checked={mineShown} onChange={(on) => { showMine(on); navigate(link({ scope: on ? 'mine' : 'all' }), { replace: true }); }} label={t('actionItems.mineOnly')} />
        </div>
      )}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count queue-count" role="status">
            {t('actionItems.count', { count: items.length, total })}{overdue > 0 && <>　<span className="overdue-text">{t('actionItems.overdueCount', { count: overdue })}</span></>}
          </p>
          {items.length === 0 ? <p className="empty">{t(`actionItems.empty.${status}`)}</p> : (
            <ul className="queue" data-testid="action-items">
              {items.map((item) => <ActionItemCard key={item.id} item={item} showOrganization={hub && scope === 'all'} onChanged={(next) => setChanged((c) => ({ ...c, [next.id]: next }))} onReload={reload} />)}
            </ul>
          )}
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => link({ cursor: c })} />
        </>
      )}
    </article>
  );
}

function ActionItemCard({ item, showOrganization, onChanged, onReload }: { item: MeetingActionItem; showOrganization: boolean; onChanged(next: MeetingActionItem): void; onReload(): void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState(false);
  const headingId = `action-${item.id}`;
  async function complete(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onChanged(await meetingsApi.completeActionItem(item.id, { version: item.version, ...(note.trim() ? { note: note.trim() } : {}) }));
      setSaid(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const classes = ['queue__item', 'action-item', item.status === 'open' && item.overdue ? 'action-item--overdue' : '', item.status !== 'open' ? 'action-item--closed' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-testid="action-item" data-status={item.status} aria-labelledby={headingId}>
      <div className="queue__head">
        <h2 className="queue__title" id={headingId}><span lang="ja">{item.description}</span></h2>
        <p className="badges">
          {item.status === 'open' && item.overdue && <Badge tone="emergency">{t('actionItems.overdue')}</Badge>}
          <Badge tone={item.status === 'open' ? 'planned' : item.status === 'done' ? 'active' : 'ended'}>{t(`actionItems.statusValue.${item.status}`)}</Badge>
        </p>
      </div>
      <dl className="queue__facts">
        <div><dt>{t('actionItems.due')}</dt><dd><DateText value={item.dueOn} /></dd></div>
        {showOrganization && <div><dt>{t('actionItems.organization')}</dt><dd><OrgName org={item.organization} /></dd></div>}
        <div>
          <dt>{t('actionItems.session')}</dt>
          <dd><Link to={`/meetings/sessions/${encodeURIComponent(item.session.id)}`}><span lang="ja">{item.session.seriesName}</span>（<DateText value={item.session.date} />）</Link></dd>
        </div>
        {item.case && (
          <div>
            <dt>{t('actionItems.case')}</dt>
            <dd>{item.case.reference ? <Link to={`/cases/${encodeURIComponent(item.case.id)}`}>{item.case.reference}</Link> : <span>{item.case.label}</span>}</dd>
          </div>
        )}
        {item.doneAt && <div><dt>{t('actionItems.doneAt')}</dt><dd><DateTimeText value={item.doneAt} /></dd></div>}
        {item.doneNote && <div><dt>{t('actionItems.note')}</dt><dd lang="ja" className="prewrap">{item.doneNote}</dd></div>}
      </dl>
      <p role="status" className={said ? 'notice notice--done' : undefined}>{said ? t('actionItems.completed') : ''}</p>
      {item.status === 'open' && (
        <form className="filter no-print" aria-label={t('actionItems.completeFor', { description: item.description })} onSubmit={complete}>
          <div className="filter__row">
            <FormField id={`${headingId}-note`} label={t('actionItems.note')} hint={t('actionItems.noteHint')}>
              {(control) => <input {...control} type="text" lang="ja" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />}
            </FormField>
            <button type="submit" className="button" disabled={busy}>{t('actionItems.complete')}</button>
          </div>
          {error !== null && (error instanceof ApiError && error.status === 409
            ? <ErrorPanel error={error} onRetry={onReload} retryLabel={t('errors.reloadLatest')} />
            : <p className="field__error" role="alert">{errorMessage(t, error)}</p>)}
        </form>
      )}
    </li>
  );
}
