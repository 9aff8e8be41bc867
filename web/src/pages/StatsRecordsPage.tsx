import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { DateTimeText } from '../components/DateText.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { statsApi } from '../stats/api.ts';
import { useResource } from '../useResource.ts';

const PASSED = ['figure', 'by', 'key', 'fiscalYear', 'from', 'to', 'noContactDays'] as const;

/**
 * The records behind a figure (年度の数字 → 内訳): only those the user may
 * open, each linking to its page. The server decides (a hidden case is never
 * listed) and audits the list.
 */
export function StatsRecordsPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const query = Object.fromEntries(PASSED.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const [drill, reload] = useResource(`stats-records:${new URLSearchParams(query).toString()}`, (signal) => statsApi.records(query, signal));
  usePageTitle(t('stats.records.title'));
  const en = i18n.language === 'en';
  const back = query.fiscalYear ? `/stats?fiscalYear=${query.fiscalYear}` : '/stats';
  return (
    <article className="page">
      <p className="no-print"><Link to={back}>{t('stats.records.back')}</Link></p>
      <div className="page__heading">
        <h1>{t('stats.records.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      {drill.status === 'loading' && <Loading />}
      {drill.status === 'error' && <ErrorPanel error={drill.error} onRetry={reload} />}
      {drill.status === 'ok' && (
        <>
          <p>
            {t(`stats.records.figure.${drill.data.figure as 'consultations'}`, { defaultValue: drill.data.figure })}
            {drill.data.period && <> · {en ? drill.data.period.labelEn : drill.data.period.label}</>}
          </p>
          <p className="count" role="status">{t('stats.records.count', { count: drill.data.total, shown: drill.data.items.length })}</p>
          <p className="field__hint">{t('stats.records.hint')}</p>
          {drill.data.items.length === 0 ? <p className="empty">{t('stats.records.empty')}</p> : (
            <table className="table stats-table" data-testid="stats-records">
              <thead>
                <tr>
                  <th scope="col">{t('stats.records.reference')}</th>
                  <th scope="col">{t('stats.records.type')}</th>
                  <th scope="col">{t('stats.records.at')}</th>
                  <th scope="col">{t('stats.records.organization')}</th>
                </tr>
              </thead>
              <tbody>
                {drill.data.items.map((r) => (
                  <tr key={`${r.type}:${r.id}`}>
                    <th scope="row"><Link to={r.link}>{r.reference}</Link></th>
                    <td>{t(`stats.records.types.${r.type}`)}</td>
                    <td><DateTimeText value={r.at} /></td>
                    <td>{r.organization ? (en ? r.organization.nameEn : r.organization.name) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </article>
  );
}
