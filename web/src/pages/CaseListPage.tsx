import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import { isHub } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { CaseStatusBadge, PersonNameText } from '../cases/CaseParts.tsx';
import { PersonSearch } from '../cases/PersonSearch.tsx';
import { CASE_STATUSES } from '../lib/cases.ts';
import { OrgName } from '../network/Names.tsx';
import { useSignedInSession } from '../session.tsx';
import type { CaseQuery, CaseSummary } from '../types.ts';
import { useResource } from '../useResource.ts';

type Scope = 'mine' | 'all';
type StatusFilter = NonNullable<CaseQuery['status']> | '';
const STATUS_FILTERS: readonly StatusFilter[] = ['', 'open', ...CASE_STATUSES];

/**
 * ケース一覧: the cases this organisation takes part in (the hub: any case),
 * newest first, a page at a time. Scope, status and page live in the URL so
 * Back and reload work; the person search does not (names stay out of the
 * address bar and the history).
 */
export function CaseListPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const hub = isHub(session.role);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const scope: Scope = hub && params.get('scope') === 'all' ? 'all' : 'mine';
  const rawStatus = params.get('status') ?? '';
  const status: StatusFilter = (STATUS_FILTERS as readonly string[]).includes(rawStatus) ? (rawStatus as StatusFilter) : '';
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`cases:${scope}:${status}:${cursor ?? ''}`, (signal) =>
    api.listCases({ scope, ...(status ? { status } : {}), cursor }, signal));
  usePageTitle(t('cases.title'));

  const link = (next: { scope?: Scope; status?: StatusFilter; cursor?: string }) => {
    const p = new URLSearchParams();
    if ((next.scope ?? scope) === 'all') p.set('scope', 'all');
    const s = next.status ?? status;
    if (s) p.set('status', s);
    if (next.cursor) p.set('cursor', next.cursor);
    const query = p.toString();
    return query ? `/cases?${query}` : '/cases';
  };
  const items = resource.status === 'ok' ? resource.data.items : [];

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('cases.title')}</h1>
        <div className="page__actions no-print">
          <button type="button" className="button button--secondary" onClick={reload}>{t('cases.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('cases.intro')}</p>

      <PersonSearch loadedCases={items} />

      {hub && (
        <nav aria-label={t('cases.tabs')} className="tabs no-print">
          <ul>
            {(['mine', 'all'] as const).map((s) => (
              <li key={s}><Link to={link({ scope: s })} aria-current={scope === s ? 'page' : undefined}>{t(`cases.${s}`)}</Link></li>
            ))}
          </ul>
        </nav>
      )}
      <p className="print-only">{t(`cases.${scope}`)}</p>

      <StatusFilterSelect value={status} onChange={(s) => navigate(link({ status: s }))} />

      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count queue-count" role="status">{t('cases.count', { count: items.length })}</p>
          {items.length === 0
            ? <p className="empty">{t('cases.empty')}</p>
            : <CaseTable items={items} />}
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => link({ cursor: c })} />
        </>
      )}
    </article>
  );
}

function StatusFilterSelect({ value, onChange }: { value: StatusFilter; onChange(s: StatusFilter): void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="filter no-print">
      <label htmlFor={id}>{t('cases.statusFilter')}</label>
      <div className="filter__row">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as StatusFilter)}>
          {STATUS_FILTERS.map((s) => (
            <option key={s || 'any'} value={s}>{s === '' ? t('cases.allStatuses') : s === 'open' ? t('cases.openOnly') : t(`cases.statusValue.${s}`)}</option>
          ))}
        </select>
      </div>
    </div>
  );
}

function CaseTable({ items }: { items: CaseSummary[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table case-table" data-testid="case-list">
        <caption className="visually-hidden">{t('cases.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases.reference')}</th>
            <th scope="col">{t('cases.person')}</th>
            <th scope="col">{t('cases.status')}</th>
            <th scope="col">{t('cases.lead')}</th>
            <th scope="col">{t('cases.openedAt')}</th>
            <th scope="col">{t('cases.lastContact')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-testid="case-row">
              <th scope="row">
                <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.reference}</Link>
                {c.complex && <> <Badge tone="co-owned">{t('cases.complexShort')}</Badge></>}
              </th>
              <td>
                {c.access === 'full' && c.person
                  ? <><PersonNameText name={c.person.name} />{c.person.nameKana && <span className="case-table__kana" lang="ja">{c.person.nameKana}</span>}</>
                  : <span className="muted-text">{t('cases.referralOnly')}</span>}
              </td>
              <td><CaseStatusBadge status={c.status} /></td>
              <td><OrgName org={c.lead} /></td>
              <td><DateText value={c.openedAt} /></td>
              <td>{c.lastContactAt ? <DateTimeText value={c.lastContactAt} /> : <span className="muted-text">{t('cases.noContact')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
