import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { prefectureApi } from '../prefecture/api.ts';
import { FiscalYearPicker, useFiscalYearParam } from '../prefecture/parts.tsx';
import type { PartnerKind } from '../public/navigatorApi.ts';
import { useResource } from '../useResource.ts';
import { warekiDate } from '../../../src/lib/fiscal.ts';

/**
 * 連携団体: the centre's partner groups as its profile states them, with, per
 * municipality each serves, how many referrals that municipality's staff sent
 * it in the fiscal year. Counts only (small ones suppressed), never a case.
 */
export function PrefecturePartnerGroupsPage() {
  const { t, i18n: { language } } = useTranslation();
  const en = language === 'en';
  const { fiscalYear, current } = useFiscalYearParam();
  const [resource, reload] = useResource(`prefecture-partner-groups:${fiscalYear}`, (signal) => prefectureApi.partnerGroups(fiscalYear, signal));
  usePageTitle(t('partner.centre.title'));
  return (
    <article className="page partner-groups-page">
      <div className="page__heading">
        <h1>{t('partner.centre.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('partner.centre.intro')}</p>
      <FiscalYearPicker id="partner-groups-year" path="/prefecture/partner-groups" fiscalYear={fiscalYear} current={current} />
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (() => {
        const view = resource.data;
        const municipalities = [...new Map(view.groups.flatMap((g) => g.referrals.map((r) => [r.municipality.code, r.municipality] as const))).values()]
          .sort((a, b) => a.code.localeCompare(b.code));
        if (view.groups.length === 0) return <p>{t('partner.centre.empty')}</p>;
        return (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="partner-groups">
                <caption>{t('partner.centre.caption', { year: en ? view.labelEn : view.label })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('partner.centre.group')}</th>
                    <th scope="col">{t('partner.centre.agreement')}</th>
                    {municipalities.map((m) => <th key={m.code} scope="col" lang="ja">{m.name}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {view.groups.map((g) => (
                    <tr key={g.id} data-testid="partner-group">
                      <th scope="row">
                        <span lang="ja">{g.name}</span>
                        <p className="badges">
                          <Badge tone="external">{t(`partner.kind.${g.kind as PartnerKind}`)}</Badge>{' '}
                          {!g.public && <Badge tone="muted">{t('partner.centre.notPublic')}</Badge>}
                        </p>
                        <p className="section__hint" lang="ja">{g.offers}</p>
                      </th>
                      <td>
                        {t('partner.centre.agreedOn', { date: warekiDate(g.agreedOn) })}
                        {g.endedOn && <><br />{t('partner.centre.endedOn', { date: warekiDate(g.endedOn) })}</>}
                        <br />{g.serves ? t('partner.centre.servesSome', { count: g.serves.length }) : t('partner.centre.servesAll')}
                      </td>
                      {municipalities.map((m) => {
                        const cell = g.referrals.find((r) => r.municipality.code === m.code);
                        return <td key={m.code} className="number">{cell ? String(cell.count) : <span className="muted" aria-label={t('partner.centre.notServed')}>—</span>}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="doc-note">{t('prefecture.networks.suppressed', { n: view.suppressBelow })}</p>
            <p className="doc-note">{t('partner.centre.source')}</p>
          </>
        );
      })()}
    </article>
  );
}
