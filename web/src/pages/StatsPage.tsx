import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { mayDrillIntoFigures } from '../access.ts';
import { DateText } from '../components/DateText.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { useSignedInSession } from '../session.tsx';
import { Chart, type ChartOption } from '../stats/Chart.tsx';
import { change, formatCount, SECONDARY, statsApi, type Count, type Figures, type Finding, type Health, type Row, type View, type Years } from '../stats/api.ts';
import { useImmediate } from '../useImmediate.ts';
import { useResource } from '../useResource.ts';

const numeric = (c: Count): number | null => (typeof c === 'number' ? c : null);

/**
 * 年度の数字: the figures of a fiscal year for what the user may count, with
 * the month-by-month trend, breakdowns by door and age band, the referral
 * flow between organisations, the comparison with earlier years, network
 * health findings, and downloads (xlsx, CSV) after the authenticator code.
 * Every chart has its figures as a table too; each figure links to the
 * records behind it for staff who may open them. Loaded only on this page,
 * with the chart library.
 */
export function StatsPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const fyParam = Number(params.get('fiscalYear'));
  const fiscalYear = Number.isInteger(fyParam) && fyParam >= 1989 && fyParam <= 2100 ? fyParam : undefined;
  const view: View = params.get('view') === 'publication' ? 'publication' : 'internal';
  const [viewShown, showView] = useImmediate(view);
  const en = i18n.language === 'en';

  const [figures, reload] = useResource(`stats:${fiscalYear ?? 'current'}:${view}`, (signal) => statsApi.figures({ fiscalYear, view }, signal));
  const shownYear = figures.status === 'ok' ? figures.data.period.fiscalYear ?? undefined : fiscalYear;
  const [years] = useResource(`stats-years:${shownYear ?? 'current'}:${view}`, (signal) => statsApi.years({ until: shownYear, count: 5, view }, signal));
  const [health] = useResource(`stats-health:${fiscalYear ?? 'current'}`, (signal) => statsApi.health({ fiscalYear }, signal));
  usePageTitle(t('stats.title'));

  const go = (next: { fiscalYear?: number; view?: View }) => {
    const p = new URLSearchParams();
    const fy = next.fiscalYear ?? shownYear;
    if (fy) p.set('fiscalYear', String(fy));
    if ((next.view ?? view) === 'publication') p.set('view', 'publication');
    navigate(`/stats?${p.toString()}`, { replace: false });
  };

  const drill = mayDrillIntoFigures(session.role) && view === 'internal';
  return (
    <article className="page stats-page">
      <div className="page__heading">
        <h1>{t('stats.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('stats.intro')}</p>

      <div className="stats-controls no-print">
        <div className="field">
          <label htmlFor="stats-year">{t('stats.fiscalYear')}</label>
          <select
            id="stats-year" value={shownYear ?? ''}
            onChange={(e) => go({ fiscalYear: Number(e.target.value) })}
          >
            {years.status === 'ok'
              ? years.data.available.map((y) => <option key={y.fiscalYear} value={y.fiscalYear}>{en ? y.labelEn : `${y.label}（${y.fiscalYear}年度）`}</option>)
              : shownYear && <option value={shownYear}>{shownYear}</option>}
          </select>
        </div>
        <fieldset>
          <legend>{t('stats.view')}</legend>
          {(['internal', 'publication'] as const).map((v) => (
            <label key={v} className="choice">
              <input type="radio" name="stats-view" value={v} checked={viewShown === v} onChange={() => { showView(v); go({ view: v }); }} /> {t(`stats.views.${v}`)}
            </label>
          ))}
        </fieldset>
        <Downloads fiscalYear={shownYear} view={view} />
      </div>

      {figures.status === 'loading' && <Loading />}
      {figures.status === 'error' && <ErrorPanel error={figures.error} onRetry={reload} />}
      {figures.status === 'ok' && (
        <FiguresView f={figures.data} years={years.status === 'ok' ? years.data : null} health={view === 'internal' && health.status === 'ok' ? health.data : null} drill={drill} />
      )}
    </article>
  );
}

function Downloads({ fiscalYear, view }: { fiscalYear?: number; view: View }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: string | null }>({ busy: false, done: null, error: null });
  const run = async (kind: 'xlsx' | 'csv' | 'csv-sjis') => {
    setState({ busy: true, done: null, error: null });
    try {
      setState({ busy: false, done: await statsApi.download(kind, { fiscalYear, view }), error: null });
    } catch (e) {
      setState({ busy: false, done: null, error: errorMessage(t, e) });
    }
  };
  return (
    <div className="stats-downloads">
      <button type="button" className="button" disabled={state.busy} onClick={() => void run('xlsx')}>{t('stats.download.xlsx')}</button>{' '}
      <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run('csv')}>{t('stats.download.csv')}</button>{' '}
      <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run('csv-sjis')}>{t('stats.download.csvSjis')}</button>
      <p className="field__hint">{t('stats.download.hint')}</p>
      <p role="status">{state.done ? t('stats.download.done', { name: state.done }) : state.error ?? ''}</p>
    </div>
  );
}

function FiguresView({ f, years, health, drill }: { f: Figures; years: Years | null; health: Health | null; drill: boolean }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const n = (c: Count) => formatCount(c, i18n.language);
  const label = (r: { label: string; labelEn: string }) => (en ? r.labelEn : r.label);
  const name = (r: { name: string; nameEn: string }) => (en ? r.nameEn : r.name);
  const fy = f.period.fiscalYear;
  const records = (figure: string, by?: string, key?: string) => {
    const p = new URLSearchParams({ figure });
    if (by && key) { p.set('by', by); p.set('key', key); }
    if (fy) p.set('fiscalYear', String(fy)); else { p.set('from', f.period.from); p.set('to', f.period.to); }
    return `/stats/records?${p.toString()}`;
  };

  const trend = useMemo<ChartOption>(() => ({
    legend: {},
    grid: { left: 40, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: f.consultations.byMonth.map((r) => label(r).replace(/^令和\d+年|^平成\d+年/, '')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'line', name: t('stats.series.consultations', { year: en ? f.period.labelEn : f.period.label }), data: f.consultations.byMonth.map((r) => numeric(r.count)) },
      { type: 'line', name: t('stats.series.consultations', { year: en ? f.previousPeriod.labelEn : f.previousPeriod.label }), lineStyle: { type: 'dashed' }, data: f.previous.consultationsByMonth.map((r) => numeric(r.count)) },
      { type: 'bar', name: t('stats.series.casesOpened'), data: f.cases.openedByMonth.map((r) => numeric(r.count)) },
      { type: 'bar', name: t('stats.series.referrals'), data: f.referrals.byMonth.map((r) => numeric(r.count)) },
    ],
  }), [f, en]);

  const bars = (rows: Row[], horizontal: boolean): ChartOption => {
    const shown = rows.filter((r) => r.count !== 0);
    const cats = shown.map(label);
    const values = shown.map((r) => numeric(r.count));
    return horizontal
      ? { grid: { left: 200, right: 24, top: 16, bottom: 24 }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: cats, inverse: true }, series: [{ type: 'bar', data: values }] }
      : { grid: { left: 40, right: 16, top: 16, bottom: 40 }, xAxis: { type: 'category', data: cats }, yAxis: { type: 'value', minInterval: 1 }, series: [{ type: 'bar', data: values }] };
  };
  const doors = useMemo(() => bars(f.consultations.byDoor, true), [f, en]);
  const ages = useMemo(() => bars(f.consultations.byAgeBand, false), [f, en]);

  // Senders on the left, receivers on the right: a Sankey needs no cycles, and A → B with B → A would make one.
  const flowNodes = new Set<string>();
  const links = f.referrals.flows.filter((x) => numeric(x.count) !== null).map((x) => {
    const source = `${name(x.from)} ${t('stats.flow.from')}`;
    const target = `${name(x.to)} ${t('stats.flow.to')}`;
    flowNodes.add(source);
    flowNodes.add(target);
    return { source, target, value: numeric(x.count)! };
  });
  const sankey = useMemo<ChartOption>(() => ({
    series: [{ type: 'sankey', data: [...flowNodes].map((name) => ({ name })), links, nodeAlign: 'justify', emphasis: { focus: 'adjacency' }, left: 8, right: 160 }],
  }), [f, en]);

  const yoy = useMemo<ChartOption | null>(() => years && ({
    legend: {},
    grid: { left: 40, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: years.totals.map((y) => (en ? `FY${y.fiscalYear}` : y.label)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['consultations', 'casesOpened', 'plans', 'closed', 'referralsSent'] as const).map((k) => ({
      type: 'bar', name: t(`stats.totals.${k}`), data: years.totals.map((y) => numeric(y[k])),
    })),
  }), [years, en]);

  const summary: ['consultations' | 'casesOpened' | 'plans' | 'closed' | 'referralsSent', Count, Count | null, string | null][] = [
    ['consultations', f.consultations.total, f.previous.consultations, records('consultations')],
    ['casesOpened', f.cases.opened, f.previous.casesOpened, records('cases_opened')],
    ['plans', f.cases.plans, f.previous.plans, records('plans')],
    ['closed', f.cases.closed, f.previous.closed, records('closures')],
    ['referralsSent', f.referrals.funnel.sent, f.previous.referralsSent, records('referrals')],
  ];

  return (
    <>
      <p className="stats-period" data-testid="stats-period">
        <strong>{en ? f.period.labelEn : f.period.label}</strong>{' '}
        ({f.period.from} – {f.period.to}){' · '}
        {f.scope.organization ? t('stats.scopeOrganization', { name: name(f.scope.organization) }) : t('stats.scopeMunicipality', { name: f.municipality.name })}
        {f.view === 'publication' && <>{' · '}{t('stats.suppressed', { below: f.suppressBelow })}</>}
        {f.secondarySuppression && <>{' · '}<span data-testid="stats-secondary">{t('stats.secondary')}</span></>}
      </p>

      <dl className="stats-summary" data-testid="stats-summary">
        {summary.map(([k, now, before, link]) => {
          const diff = before === null ? null : change(now, before);
          return (
            <div key={k}>
              <dt>{t(`stats.totals.${k}`)}</dt>
              <dd title={now === SECONDARY ? t('stats.secondary') : undefined}>
                {drill && link && now !== 0 ? <Link to={link}>{n(now)}</Link> : n(now)}
                {before !== null && (
                  <span className="stats-summary__before">
                    {t('stats.previousYear', { count: n(before) })}{diff !== null && ` (${diff > 0 ? '+' : ''}${diff})`}
                  </span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {f.rates && (
        <p>{t('stats.rates', { consultations: f.rates.consultationsPer100kPerMonth, plans: f.rates.plansPer100kPerMonth, population: f.rates.population.toLocaleString() })}</p>
      )}

      {health && <HealthFindings health={health} drill={drill} />}

      <section className="section">
        <h2>{t('stats.trend')}</h2>
        <Chart option={trend} label={t('stats.trendLabel')} testId="stats-trend" />
        <MonthTable f={f} />
      </section>

      <div className="stats-grid">
        <section className="section">
          <h2>{t('stats.byDoor')}</h2>
          <Chart option={doors} label={t('stats.byDoor')} testId="stats-doors" />
          <Breakdown rows={f.consultations.byDoor} head={t('stats.col.door')} link={drill ? (k) => records('consultations', 'door', k) : null} />
        </section>
        <section className="section">
          <h2>{t('stats.byAgeBand')}</h2>
          <Chart option={ages} label={t('stats.byAgeBand')} />
          <Breakdown rows={f.consultations.byAgeBand} head={t('stats.col.ageBand')} link={drill ? (k) => records('consultations', 'ageBand', k) : null} />
        </section>
        <section className="section">
          <h2>{t('stats.byChannel')}</h2>
          <Breakdown rows={f.consultations.byChannel} head={t('stats.col.channel')} link={drill ? (k) => records('consultations', 'channel', k) : null} />
        </section>
        <section className="section">
          <h2>{t('stats.byRelation')}</h2>
          <Breakdown rows={f.consultations.byRelation} head={t('stats.col.relation')} link={drill ? (k) => records('consultations', 'relation', k) : null} />
        </section>
        <section className="section">
          <h2>{t('stats.byIssue')}</h2>
          {f.consultations.sensitiveIssuesHidden && <p className="field__hint">{t('stats.sensitiveHidden')}</p>}
          <Breakdown rows={f.consultations.byIssue} head={t('stats.col.issue')} link={drill ? (k) => records('consultations', 'issue', k) : null} />
        </section>
        <section className="section">
          <h2>{t('stats.byArea')}</h2>
          <Breakdown rows={f.consultations.byArea} head={t('stats.col.area')} link={drill ? (k) => records('consultations', 'area', k) : null} />
        </section>
      </div>

      <section className="section">
        <h2>{t('stats.referralFlow')}</h2>
        {links.length ? <Chart option={sankey} label={t('stats.referralFlow')} tall testId="stats-sankey" /> : <p className="empty">{t('stats.noReferrals')}</p>}
        <h3>{t('stats.funnel')}</h3>
        <table className="table stats-table">
          <thead>
            <tr>
              <th scope="col">{t('stats.col.receiver')}</th>
              {(['sent', 'accepted', 'firstContact', 'completed', 'declined', 'returned'] as const).map((k) => <th key={k} scope="col" className="num">{t(`stats.stage.${k}`)}</th>)}
              <th scope="col" className="num">{t('stats.col.medianAccept')}</th>
              <th scope="col" className="num">{t('stats.col.medianContact')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('stats.allReceivers')}</th>
              {(['sent', 'accepted', 'firstContact', 'completed', 'declined', 'returned'] as const).map((k) => {
                const stage = k === 'firstContact' ? 'first_contact' : k;
                const c = f.referrals.funnel[k];
                return <td key={k} className="num">{drill && c !== 0 ? <Link to={records('referrals', 'stage', stage)}>{n(c)}</Link> : n(c)}</td>;
              })}
              <td /><td />
            </tr>
            {f.referrals.perOrganization.map((o) => (
              <tr key={o.organization.id}>
                <th scope="row">{drill ? <Link to={records('referrals', 'receiver', o.organization.id)}>{name(o.organization)}</Link> : name(o.organization)}</th>
                {(['sent', 'accepted', 'firstContact', 'completed', 'declined', 'returned'] as const).map((k) => <td key={k} className="num">{n(o[k])}</td>)}
                <td className="num">{o.medianDaysToAcceptance ?? '—'}</td>
                <td className="num">{o.medianDaysToFirstContact ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="field__hint">{t('stats.funnelHint')}</p>
      </section>

      <div className="stats-grid">
        <section className="section">
          <h2>{t('stats.meetings')}</h2>
          <dl className="facts facts--wide">
            {(['sessionsHeld', 'casesReviewed', 'decisions', 'actionItemsDue', 'actionItemsDoneOnTime'] as const).map((k) => (
              <div className="facts__row" key={k}>
                <dt>{t(`stats.meeting.${k}`)}</dt>
                <dd>{k === 'casesReviewed' && drill && f.meetings[k] !== 0 ? <Link to={records('reviewed_cases')}>{n(f.meetings[k])}</Link> : n(f.meetings[k])}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="section">
          <h2>{t('stats.programs')}</h2>
          <table className="table stats-table">
            <thead><tr><th scope="col">{t('stats.col.program')}</th><th scope="col" className="num">{t('stats.col.referrals')}</th></tr></thead>
            <tbody>
              {f.programs.map((p) => (
                <tr key={p.program.id}>
                  <th scope="row">{name(p.program)}</th>
                  <td className="num">{drill && p.referrals !== 0 ? <Link to={records('referrals', 'program', p.program.id)}>{n(p.referrals)}</Link> : n(p.referrals)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {f.programActivity && (
          <section className="section" data-testid="program-activity">
            <h2>{t('stats.programActivity')}</h2>
            {(['outreach', 'work', 'events'] as const).map((k) => (
              <div key={k}>
                <h3>{t(`stats.activity.${k}`)}</h3>
                <Breakdown rows={f.programActivity![k]} head={t('stats.col.item')} link={null} />
              </div>
            ))}
          </section>
        )}
        {f.cases.closuresByReason.length > 0 && (
          <section className="section">
            <h2>{t('stats.closures')}</h2>
            <Breakdown rows={f.cases.closuresByReason} head={t('stats.col.reason')} link={drill ? (k) => records('closures', 'reason', k) : null} />
          </section>
        )}
      </div>

      {yoy && years && (
        <section className="section">
          <h2>{t('stats.yearOverYear')}</h2>
          <Chart option={yoy} label={t('stats.yearOverYear')} testId="stats-yoy" />
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.fiscalYear')}</th>
                {(['consultations', 'casesOpened', 'plans', 'closed', 'referralsSent'] as const).map((k) => <th key={k} scope="col" className="num">{t(`stats.totals.${k}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {years.totals.map((y) => (
                <tr key={y.fiscalYear}>
                  <th scope="row">{en ? y.labelEn : y.label}</th>
                  {(['consultations', 'casesOpened', 'plans', 'closed', 'referralsSent'] as const).map((k) => <td key={k} className="num">{n(y[k])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Breakdown({ rows, head, link }: { rows: Row[]; head: string; link: ((key: string) => string) | null }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <table className="table stats-table">
      <thead><tr><th scope="col">{head}</th><th scope="col" className="num">{t('stats.col.count')}</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{en ? r.labelEn : r.label}</th>
            <td className="num" title={r.count === SECONDARY ? t('stats.secondary') : undefined}>{link && r.count !== 0 ? <Link to={link(r.key)}>{formatCount(r.count, i18n.language)}</Link> : formatCount(r.count, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MonthTable({ f }: { f: Figures }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const n = (c: Count | undefined) => (c === undefined ? '—' : formatCount(c, i18n.language));
  return (
    <details>
      <summary>{t('stats.trendTable')}</summary>
      <table className="table stats-table">
        <thead>
          <tr>
            <th scope="col">{t('stats.col.month')}</th>
            <th scope="col" className="num">{t('stats.totals.consultations')}</th>
            <th scope="col" className="num">{t('stats.col.previousYear')}</th>
            <th scope="col" className="num">{t('stats.totals.casesOpened')}</th>
            <th scope="col" className="num">{t('stats.totals.referralsSent')}</th>
          </tr>
        </thead>
        <tbody>
          {f.consultations.byMonth.map((r, i) => (
            <tr key={r.key}>
              <th scope="row">{en ? r.labelEn : r.label}</th>
              <td className="num">{n(r.count)}</td>
              <td className="num">{n(f.previous.consultationsByMonth[i]?.count)}</td>
              <td className="num">{n(f.cases.openedByMonth[i]?.count)}</td>
              <td className="num">{n(f.referrals.byMonth[i]?.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function HealthFindings({ health, drill }: { health: Health; drill: boolean }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const name = (r: { name: string; nameEn: string } | null) => (r ? (en ? r.nameEn : r.name) : '');
  const text = (f: Finding) => {
    switch (f.kind) {
      case 'quiet_door': return t(f.lastAt ? 'stats.finding.quietDoorSince' : 'stats.finding.quietDoor', { name: name(f.organization) });
      case 'overdue_referrals': return t('stats.finding.overdue', { name: name(f.organization), count: f.count });
      case 'no_contact': return t('stats.finding.noContact', { name: name(f.organization), count: f.count, days: f.days });
      case 'program_without_referrals': return t('stats.finding.unreferred', { name: name(f.program) });
    }
  };
  // drill-down links need records the user may open; the organisation pages are open to everyone signed in
  const linkable = (f: Finding) => drill || !f.link.startsWith('/stats/records');
  return (
    <section className="section" data-testid="stats-health">
      <h2>{t('stats.health')}</h2>
      <p className="field__hint">{t('stats.healthHint', { days: health.noContactDays })}</p>
      {health.findings.length === 0 ? <p className="empty">{t('stats.noFindings')}</p> : (
        <ul className="stats-findings">
          {health.findings.map((f, i) => (
            <li key={`${f.kind}:${f.organization?.id ?? ''}:${f.program?.id ?? ''}:${i}`}>
              {linkable(f) ? <Link to={f.link}>{text(f)}</Link> : text(f)}
              {f.kind === 'quiet_door' && f.lastAt && <> {t('stats.finding.lastAt')} <DateText value={f.lastAt} /></>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
