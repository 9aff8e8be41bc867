import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { isHub } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { outreachApi } from '../programs/outreach/api.ts';
import { useSignedInSession } from '../session.tsx';
import type { Program } from '../types.ts';
import { useResource } from '../useResource.ts';

/**
 * The outreach queue (アウトリーチ): for each outreach program the signed-in
 * organisation owns or is commissioned to run (the hub: all), its open
 * enrolments, those with no visit for longer than the plan first.
 */
export function OutreachPage() {
  const { t } = useTranslation();
  usePageTitle(t('outreach.title'));
  const session = useSignedInSession();
  const { network } = useNetwork();
  const programs = network.programs.filter((p) => p.kind === 'outreach' && (isHub(session.role)
    || [...p.owners, ...p.contractors].some((o) => o.id === session.organization.id)));
  return (
    <article>
      <h1>{t('outreach.title')}</h1>
      <p className="section__hint">{t('outreach.hint')}</p>
      {programs.length === 0 && <p className="empty">{t('outreach.noPrograms')}</p>}
      {programs.map((p) => <ProgramQueue key={p.id} program={p} />)}
    </article>
  );
}

function ProgramQueue({ program }: { program: Program }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`outreach-queue:${program.id}`, (signal) => outreachApi.queue(program.id, { open: true }, signal));
  return (
    <section className="section" aria-labelledby={`queue-${program.id}`}>
      <h2 id={`queue-${program.id}`}>{program.name}</h2>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0 ? <p className="empty">{t('outreach.emptyQueue')}</p> : (
        <table className="table" data-testid="outreach-queue">
          <caption>{t('outreach.queueCaption', { count: resource.data.items.filter((e) => e.overdue).length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outreach.case')}</th>
              <th scope="col">{t('outreach.lastVisit')}</th>
              <th scope="col">{t('outreach.interval')}</th>
              <th scope="col">{t('outreach.dueBy')}</th>
              <th scope="col">{t('outreach.stageLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {resource.data.items.map((e) => (
              <tr key={e.id}>
                <td><Link to={`/cases/${encodeURIComponent(e.caseId)}#case-outreach`}>{e.caseReference}</Link></td>
                <td>{e.lastVisitOn ? <DateText value={e.lastVisitOn} /> : t('outreach.noVisitYet')}</td>
                <td>{t('outreach.everyDays', { count: e.plan.intervalDays })}</td>
                <td><DateText value={e.dueBy} /> {e.overdue && <Badge tone="urgent">{t('outreach.overdue')}</Badge>}</td>
                <td>{e.stage ? t(`outreach.stage.${e.stage}`) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
