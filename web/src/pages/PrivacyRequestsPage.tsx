import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { DateText } from '../components/DateText.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { PersonNameText } from '../cases/CaseParts.tsx';
import { privacyApi } from '../privacy/requestsApi.ts';
import { DeadlineBadge } from '../privacy/parts.tsx';
import type { RequestSummary } from '../privacy/requestTypes.ts';
import { useResource } from '../useResource.ts';

type Status = 'open' | 'decided' | 'all';
const STATUSES: readonly Status[] = ['open', 'decided', 'all'];

/**
 * 開示・訂正・利用停止の請求: the privacy officer's list. Open requests come
 * first by the deadline in force, overdue ones on top, with the days left;
 * decided ones follow, newest first, a page at a time. The tab and the page
 * live in the URL.
 */
export function PrivacyRequestsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const raw = params.get('status');
  const status: Status = (STATUSES as readonly string[]).includes(raw ?? '') ? (raw as Status) : 'open';
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`privacy-requests:${status}:${cursor ?? ''}`, (signal) => privacyApi.listRequests({ status, cursor }, signal));
  usePageTitle(t('privacy.list.title'));
  const link = (s: Status, c?: string) => {
    const query = new URLSearchParams({ ...(s === 'open' ? {} : { status: s }), ...(c ? { cursor: c } : {}) }).toString();
    return query ? `/privacy/requests?${query}` : '/privacy/requests';
  };

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('privacy.list.title')}</h1>
        <div className="page__actions no-print">
          <Link className="button" to="/privacy/requests/new">{t('privacy.list.new')}</Link>
          <button type="button" className="button button--secondary" onClick={reload}>{t('queue.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('privacy.list.intro')}</p>
      <nav aria-label={t('privacy.list.tabs')} className="tabs no-print">
        <ul>
          {STATUSES.map((s) => (
            <li key={s}><Link to={link(s)} aria-current={status === s ? 'page' : undefined}>{t(`privacy.list.status.${s}`)}</Link></li>
          ))}
        </ul>
      </nav>
      <p className="print-only">{t(`privacy.list.status.${status}`)}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count queue-count" role="status">{t('privacy.list.count', { count: resource.data.total })}</p>
          {resource.data.items.length === 0
            ? <p className="empty">{t(`privacy.list.empty.${status}`)}</p>
            : <RequestTable items={resource.data.items} />}
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => link(status, c)} />
        </>
      )}
    </article>
  );
}

function RequestTable({ items }: { items: RequestSummary[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="privacy-requests">
        <caption className="visually-hidden">{t('privacy.list.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('privacy.list.columns.reference')}</th>
            <th scope="col">{t('privacy.list.columns.kind')}</th>
            <th scope="col">{t('privacy.list.columns.person')}</th>
            <th scope="col">{t('privacy.list.columns.received')}</th>
            <th scope="col">{t('privacy.list.columns.due')}</th>
            <th scope="col">{t('privacy.list.columns.state')}</th>
            <th scope="col">{t('privacy.list.columns.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-testid="privacy-request-row">
              <th scope="row"><Link to={`/privacy/requests/${encodeURIComponent(r.id)}`}>{r.reference}</Link></th>
              <td>{t(`privacy.kind.${r.kind}`)}</td>
              <td>{r.person ? <PersonNameText name={r.person.name} /> : <span className="muted-text">{t('privacy.detail.personGone')}</span>}</td>
              <td><DateText value={r.receivedOn} /></td>
              <td><DateText value={r.due} />{r.extendedTo && <span className="muted-text">{t('privacy.list.extended')}</span>}</td>
              <td><DeadlineBadge request={r} /></td>
              <td>{r.decision ? <>{t(`privacy.decision.${r.decision}`)}（<DateText value={r.decidedOn!} />）</> : <span className="muted-text">{t('privacy.list.undecided')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
