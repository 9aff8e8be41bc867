import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import { isHub } from '../access.ts';
import { DateTimeText } from '../components/DateText.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { AgeText, ConsultationBadges, DestinationName, IssueTagList } from '../consultations/ConsultationParts.tsx';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { ConsultationSummary } from '../types.ts';
import { useResource } from '../useResource.ts';

type Tab = 'triage' | 'routed';
const EXCERPT = 120;

/**
 * 相談一覧（振り分け）: the acting organisation's triage queue, newest first,
 * a page at a time. The hub may look at any organisation's queue, or all.
 * The tab, organisation and page live in the URL, so Back and reload work.
 */
export function ConsultationListPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const hub = isHub(session.role);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const tab: Tab = params.get('status') === 'routed' ? 'routed' : 'triage';
  const organization = (hub && params.get('org')) || session.organization.id;
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`queue:${tab}:${organization}:${cursor ?? ''}`, (signal) =>
    api.listConsultations({ status: tab, organizationId: organization === session.organization.id ? undefined : organization, cursor }, signal));
  usePageTitle(t('queue.title'));

  const link = (next: { status?: Tab; org?: string; cursor?: string }) => {
    const p = new URLSearchParams();
    const status = next.status ?? tab;
    if (status === 'routed') p.set('status', 'routed');
    const org = next.org ?? organization;
    if (hub && org !== session.organization.id) p.set('org', org);
    if (next.cursor) p.set('cursor', next.cursor);
    const query = p.toString();
    return query ? `/consultations?${query}` : '/consultations';
  };

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('queue.title')}</h1>
        <div className="page__actions no-print">
          <Link to="/consultations/new" className="button">{t('queue.new')}</Link>
          <button type="button" className="button button--secondary" onClick={reload}>{t('queue.refresh')}</button>
          <PrintButton />
        </div>
      </div>

      <nav aria-label={t('queue.tabs')} className="tabs no-print">
        <ul>
          {(['triage', 'routed'] as const).map((s) => (
            <li key={s}>
              <Link to={link({ status: s })} aria-current={tab === s ? 'page' : undefined}>{t(`queue.${s}`)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="print-only">{t(`queue.${tab}`)}</p>

      {hub && (
        <OrganizationFilter value={organization} onChange={(org) => navigate(link({ org }))} />
      )}

      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count queue-count" role="status">{t('queue.count', { count: resource.data.items.length })}</p>
          {resource.data.items.length === 0
            ? <p className="empty">{tab === 'triage' ? t('queue.emptyTriage') : t('queue.emptyRouted')}</p>
            : (
              <ul className="queue" data-testid="queue">
                {resource.data.items.map((c) => <QueueItem key={c.id} consultation={c} showHolder={organization === 'all'} />)}
              </ul>
            )}
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => link({ cursor: c })} />
        </>
      )}
    </article>
  );
}

function OrganizationFilter({ value, onChange }: { value: string; onChange(org: string): void }) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const id = useId();
  return (
    <div className="filter no-print">
      <label htmlFor={id}>{t('queue.organization')}</label>
      <div className="filter__row">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="all">{t('queue.allOrganizations')}</option>
          {network.organizations.map((o) => <option key={o.id} value={o.id}>{names.org(o)}</option>)}
        </select>
      </div>
    </div>
  );
}

/** One consultation in the queue: enough to decide which to open first. */
function QueueItem({ consultation: c, showHolder }: { consultation: ConsultationSummary; showHolder: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocabulary();
  const excerpt = c.summary.length > EXCERPT ? `${c.summary.slice(0, EXCERPT)}…` : c.summary;
  return (
    <li className={`queue__item card queue__item--${c.urgency}`} data-testid="queue-item">
      <div className="queue__head">
        <h2 className="queue__title">
          <Link to={`/consultations/${encodeURIComponent(c.id)}`}>{c.reference}</Link>
        </h2>
        <ConsultationBadges consultation={c} />
        <span className="queue__received"><DateTimeText value={c.receivedAt} /></span>
      </div>
      <dl className="queue__facts">
        <div><dt>{t('consultation.door')}</dt><dd><OrgName org={c.door} /></dd></div>
        <div><dt>{t('consultation.consulterRelation')}</dt><dd>{label('consulterRelations', c.consulterRelation)}</dd></div>
        <div><dt>{t('consultation.age')}</dt><dd><AgeText age={c.age} ageBand={c.ageBand} /></dd></div>
        <div><dt>{t('consultation.issueTags')}</dt><dd><IssueTagList tags={c.issueTags} main={c.mainIssue} /></dd></div>
        {showHolder && c.status === 'triage' && <div><dt>{t('queue.heldBy')}</dt><dd><OrgName org={c.holder} /></dd></div>}
        {c.status === 'routed' && (
          <div><dt>{t('queue.takenInBy')}</dt><dd><DestinationName organization={c.destination.organization} program={c.destination.program} /></dd></div>
        )}
      </dl>
      <p className="queue__summary" lang="ja">{excerpt}</p>
    </li>
  );
}
