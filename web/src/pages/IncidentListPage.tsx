import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { mayKeepIncidents } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { nextDeadline } from '../lib/privacy.ts';
import { privacyApi } from '../privacy/api.ts';
import { DeadlineText, IncidentStatusBadge } from '../privacy/IncidentParts.tsx';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

/**
 * 漏えい等事案の台帳: every incident with the next reporting deadline to the
 * 個人情報保護委員会 and how much time is left (overdue ones highlighted),
 * newest discovery first, a page at a time (the page in the URL).
 */
export function IncidentListPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const [params] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`incidents:${cursor ?? ''}`, (signal) => privacyApi.listIncidents({ cursor }, signal));
  usePageTitle(t('incident.title'));
  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('incident.title')}</h1>
        <div className="page__actions no-print">
          {mayKeepIncidents(role) && <Link className="button" to="/incidents/new">{t('incident.new')}</Link>}
          <button type="button" className="button button--secondary" onClick={reload}>{t('incident.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('incident.intro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0
        ? <p className="empty">{t('incident.empty')}</p>
        : (
          <div className="table-wrap">
            <table className="table" data-testid="incidents">
              <thead>
                <tr>
                  <th scope="col">{t('incident.reference')}</th><th scope="col">{t('incident.titleField')}</th><th scope="col">{t('incident.discoveredAt')}</th>
                  <th scope="col">{t('incident.statusLabel')}</th><th scope="col">{t('incident.nextDeadline')}</th><th scope="col">{t('incident.persons')}</th>
                </tr>
              </thead>
              <tbody>
                {resource.data.items.map((i) => {
                  const next = nextDeadline(i);
                  return (
                    <tr key={i.id}>
                      <td><Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.reference}</Link></td>
                      <td>{i.title}{i.sensitiveData && <> <Badge tone="consent">{t('incident.sensitiveShort')}</Badge></>}{i.unauthorizedPurpose && <> <Badge tone="urgent">{t('incident.unauthorizedShort')}</Badge></>}</td>
                      <td><DateTimeText value={i.discoveredAt} /></td>
                      <td><IncidentStatusBadge status={i.status} /></td>
                      <td>{next ? <>{t(`incident.kind.${next.kind}`)}: <DeadlineText deadline={next} /></> : t('incident.notReportable')}</td>
                      <td>{t('incident.personsValue', { identified: i.identifiedPersons, stated: i.personsCount ?? '—' })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      {resource.status === 'ok' && (
        <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => (c ? `/incidents?${new URLSearchParams({ cursor: c })}` : '/incidents')} />
      )}
    </article>
  );
}
