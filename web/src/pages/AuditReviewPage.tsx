import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { checkPeriod, defaultPeriod, detailsSummary } from '../lib/privacy.ts';
import { privacyApi } from '../privacy/api.ts';
import type { AuditEvent, EventFilters, Outcome } from '../privacy/types.ts';
import { useResource } from '../useResource.ts';

const TABS = ['events', 'bulk', 'hours', 'breakGlass', 'sensitive', 'denied'] as const;
type Tab = (typeof TABS)[number];
const FILTER_KEYS = ['login', 'action', 'outcome', 'entityType', 'entityId', 'personId'] as const;
const OUTCOMES: readonly Outcome[] = ['success', 'denied', 'failure'];

/**
 * 監査記録の確認: the privacy officer's (and the auditor's) review of who
 * did what with personal data, per period — all events with filters, bulk
 * reads, access out of hours, break-the-glass, 要配慮 access and denied
 * attempts — and the CSV export (after the authenticator code). Tab, period
 * and filters live in the URL; every view is itself recorded in the audit.
 */
export function AuditReviewPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const fallback = defaultPeriod(new Date());
  const rawTab = params.get('tab') ?? 'events';
  const tab: Tab = (TABS as readonly string[]).includes(rawTab) ? (rawTab as Tab) : 'events';
  const from = params.get('from') ?? fallback.from;
  const to = params.get('to') ?? fallback.to;
  const filters: Record<string, string> = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? '']).filter(([, v]) => v));
  usePageTitle(t('audit.title'));

  const link = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    const merged: Record<string, string | undefined> = { tab, from, to, ...filters, ...next };
    for (const [k, v] of Object.entries(merged)) if (v && !(k === 'tab' && v === 'events')) p.set(k, v);
    return `/audit?${p.toString()}`;
  };

  return (
    <article className="page audit-review">
      <div className="page__heading">
        <h1>{t('audit.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('audit.intro')}</p>

      <PeriodForm from={from} to={to} onApply={(p) => navigate(link({ ...p, cursor: undefined }))} />
      <ExportButtons from={from} to={to} personId={filters.personId} />

      <nav aria-label={t('audit.tabs')} className="tabs no-print">
        <ul>
          {TABS.map((x) => (
            <li key={x}><Link to={link({ tab: x, cursor: undefined })} aria-current={tab === x ? 'page' : undefined}>{t(`audit.tab.${x}`)}</Link></li>
          ))}
        </ul>
      </nav>
      <p className="print-only">{t(`audit.tab.${tab}`)}（<DateText value={from} />〜<DateText value={to} />）</p>
      <p className="section__hint">{t(`audit.tabHint.${tab}`)}</p>

      {tab === 'events' && (
        <>
          <EventFilterForm filters={filters} onApply={(f) => navigate(link({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])), ...f, cursor: undefined }))} />
          <EventList query={{ from, to, ...(filters as EventFilters) }} cursor={params.get('cursor') ?? undefined} nextLink={(c) => link({ cursor: c })} userLink={(login) => link({ login, cursor: undefined })} />
        </>
      )}
      {tab === 'sensitive' && <EventList query={{ from, to, sensitive: 'true' }} cursor={params.get('cursor') ?? undefined} nextLink={(c) => link({ cursor: c })} userLink={(login) => link({ tab: 'events', login, cursor: undefined })} />}
      {tab === 'denied' && <EventList query={{ from, to, outcome: 'denied' }} cursor={params.get('cursor') ?? undefined} nextLink={(c) => link({ cursor: c })} userLink={(login) => link({ tab: 'events', login, cursor: undefined })} />}
      {tab === 'bulk' && <BulkReadsReport from={from} to={to} userLink={(login, day) => link({ tab: 'events', login, from: day, to: day })} />}
      {tab === 'hours' && <OutOfHoursReport from={from} to={to} userLink={(login, day) => link({ tab: 'events', login, from: day, to: day })} />}
      {tab === 'breakGlass' && <BreakGlassReport from={from} to={to} />}
    </article>
  );
}

function PeriodForm({ from, to, onApply }: { from: string; to: string; onApply: (p: { from: string; to: string }) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ from, to });
  const [error, setError] = useState<'from' | 'to' | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const bad = checkPeriod(draft.from, draft.to);
    setError(bad);
    if (!bad) onApply(draft);
  };
  return (
    <form className="filter filter--inline no-print" onSubmit={submit} aria-label={t('audit.period')}>
      <div className="filter__row">
        <label>{t('audit.from')}<input type="date" name="from" value={draft.from} aria-invalid={error === 'from' || undefined} onChange={(e) => setDraft({ ...draft, from: e.target.value })} /></label>
        <label>{t('audit.to')}<input type="date" name="to" value={draft.to} aria-invalid={error === 'to' || undefined} onChange={(e) => setDraft({ ...draft, to: e.target.value })} /></label>
        <button type="submit" className="button">{t('audit.show')}</button>
      </div>
      {error && <p className="field__error" role="alert">{t(`audit.periodError.${error}`)}</p>}
    </form>
  );
}

function ExportButtons({ from, to, personId }: { from: string; to: string; personId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: unknown }>({ busy: false, done: null, error: null });
  const run = async (q: { from?: string; to?: string; personId?: string }) => {
    setState({ busy: true, done: null, error: null });
    try {
      setState({ busy: false, done: await privacyApi.exportCsv(q), error: null });
    } catch (error) {
      setState({ busy: false, done: null, error });
    }
  };
  return (
    <div className="audit-export no-print">
      <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run({ from, to })}>{t('audit.exportPeriod')}</button>
      {personId && <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run({ personId })}>{t('audit.exportPerson')}</button>}
      <p className="field__hint">{t('audit.exportHint')}</p>
      <p role="status">{state.done ? t('audit.exported', { name: state.done }) : ''}</p>
      {state.error !== null && <p className="field__error" role="alert">{errorMessage(t, state.error)}</p>}
    </div>
  );
}

function EventFilterForm({ filters, onApply }: { filters: Record<string, string>; onApply: (f: Record<string, string | undefined>) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<string, string>>(Object.fromEntries(FILTER_KEYS.map((k) => [k, filters[k] ?? ''])));
  const field = (k: Exclude<(typeof FILTER_KEYS)[number], 'outcome'>) => (
    <label key={k}>{t(`audit.filter.${k}`)}
      <input type="text" name={k} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} autoComplete="off" />
    </label>
  );
  return (
    <form className="filter no-print" aria-label={t('audit.filters')} onSubmit={(e) => { e.preventDefault(); onApply(Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim() || undefined]))); }}>
      <div className="filter__row">
        {field('login')}
        {field('action')}
        <label>{t('audit.filter.outcome')}
          <select name="outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}>
            <option value="">{t('audit.any')}</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{t(`audit.outcome.${o}`)}</option>)}
          </select>
        </label>
        {field('entityType')}
        {field('entityId')}
        {field('personId')}
      </div>
      <p className="filter__hint">{t('audit.filterHint')}</p>
      <div className="filter__row">
        <button type="submit" className="button">{t('audit.applyFilters')}</button>
        <button type="button" className="button button--secondary" onClick={() => { setDraft(Object.fromEntries(FILTER_KEYS.map((k) => [k, '']))); onApply({}); }}>{t('audit.clearFilters')}</button>
      </div>
    </form>
  );
}

function EventList({ query, cursor, nextLink, userLink }: { query: EventFilters; cursor?: string; nextLink: (c: string) => string; userLink: (login: string) => string }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`audit-events:${JSON.stringify(query)}:${cursor ?? ''}`, (signal) => privacyApi.listEvents({ ...query, cursor, limit: 50 }, signal));
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  const { items, nextCursor } = resource.data;
  return (
    <>
      <p className="count" role="status">{t('audit.eventCount', { count: items.length })}</p>
      {items.length === 0 ? <p className="empty">{t('audit.noEvents')}</p> : <EventTable items={items} userLink={userLink} />}
      {nextCursor && <p className="no-print"><Link className="button button--secondary" to={nextLink(nextCursor)}>{t('audit.nextPage')}</Link></p>}
    </>
  );
}

function UserCell({ login, userLink }: { login: string | null; userLink: (login: string) => string }) {
  const { t } = useTranslation();
  return login ? <Link to={userLink(login)}>{login}</Link> : <span>{t('audit.system')}</span>;
}

function EventTable({ items, userLink }: { items: AuditEvent[]; userLink: (login: string) => string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table audit-table" data-testid="audit-events">
        <thead>
          <tr>
            <th scope="col">{t('audit.col.at')}</th><th scope="col">{t('audit.col.user')}</th><th scope="col">{t('audit.col.organization')}</th>
            <th scope="col">{t('audit.col.action')}</th><th scope="col">{t('audit.col.entity')}</th><th scope="col">{t('audit.col.reason')}</th>
            <th scope="col">{t('audit.col.outcome')}</th><th scope="col">{t('audit.col.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const d = detailsSummary(e);
            return (
              <tr key={e.id} className={e.outcome !== 'success' ? 'audit-row--denied' : undefined}>
                <td><DateTimeText value={e.occurredAt} /></td>
                <td><UserCell login={e.user.login} userLink={userLink} />{e.role && <span className="audit-table__sub">{t(`roles.${e.role}`, { defaultValue: e.role })}</span>}</td>
                <td>{e.organization?.name ?? ''}</td>
                <td><code>{e.action}</code><span className="audit-table__sub">{t(`audit.action.${e.action}`, { defaultValue: '' })}</span></td>
                <td>{e.entityType && <>{t(`audit.entity.${e.entityType}`, { defaultValue: e.entityType })}<code className="audit-table__id">{e.entityId ?? ''}</code></>}</td>
                <td>{e.reason ?? ''}</td>
                <td>{e.outcome === 'success' ? t('audit.outcome.success') : <Badge tone="consent">{t(`audit.outcome.${e.outcome}`)}</Badge>}</td>
                <td>
                  {d.sensitive && <Badge tone="urgent">{t('audit.sensitive')}</Badge>}
                  {d.count !== null && <span>{t('audit.records', { count: d.count })}</span>}
                  {d.query && <span className="audit-table__sub">{t('audit.query', { query: d.query })}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Report<T>({ resource, reload, empty, children }: { resource: ReturnType<typeof useResource<T>>[0]; reload: () => void; empty: (data: T) => boolean; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  return empty(resource.data) ? <p className="empty" role="status">{t('audit.nothingFound')}</p> : <>{children(resource.data)}</>;
}

function BulkReadsReport({ from, to, userLink }: { from: string; to: string; userLink: (login: string, day: string) => string }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`bulk:${from}:${to}`, (signal) => privacyApi.bulkReads({ from, to }, signal));
  return (
    <>
      {resource.status === 'ok' && <p className="section__hint">{t('audit.thresholds', resource.data.thresholds)}</p>}
      <Report resource={resource} reload={reload} empty={(d) => d.items.length === 0}>
        {(d) => (
          <div className="table-wrap">
            <table className="table" data-testid="bulk-reads">
              <thead><tr><th scope="col">{t('audit.col.day')}</th><th scope="col">{t('audit.col.user')}</th><th scope="col">{t('audit.col.organization')}</th><th scope="col">{t('audit.col.events')}</th><th scope="col">{t('audit.col.records')}</th></tr></thead>
              <tbody>
                {d.items.map((r) => (
                  <tr key={`${r.user.id}:${r.day}`}>
                    <td><DateText value={r.day} /></td>
                    <td>{r.user.login && <Link to={userLink(r.user.login, r.day)}>{r.user.login}</Link>}</td>
                    <td>{r.organization?.name ?? ''}</td>
                    <td className={r.exceeded.includes('events') ? 'audit-over' : undefined}>{r.events}</td>
                    <td className={r.exceeded.includes('records') ? 'audit-over' : undefined}>{r.records}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Report>
    </>
  );
}

const japanTime = (iso: string) => new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo' }).format(new Date(iso));

function OutOfHoursReport({ from, to, userLink }: { from: string; to: string; userLink: (login: string, day: string) => string }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`hours:${from}:${to}`, (signal) => privacyApi.outOfHours({ from, to }, signal));
  return (
    <>
      {resource.status === 'ok' && <p className="section__hint">{t('audit.workday', resource.data.workday)}</p>}
      <Report resource={resource} reload={reload} empty={(d) => d.items.length === 0}>
        {(d) => (
          <div className="table-wrap">
            <table className="table" data-testid="out-of-hours">
              <thead><tr><th scope="col">{t('audit.col.day')}</th><th scope="col">{t('audit.col.why')}</th><th scope="col">{t('audit.col.user')}</th><th scope="col">{t('audit.col.organization')}</th><th scope="col">{t('audit.col.events')}</th><th scope="col">{t('audit.col.times')}</th></tr></thead>
              <tbody>
                {d.items.map((r) => (
                  <tr key={`${r.user.id}:${r.day}`}>
                    <td><DateText value={r.day} /></td>
                    <td>{r.holidayName ? t('audit.kind.holidayNamed', { name: r.holidayName }) : t(`audit.kind.${r.kind}`)}</td>
                    <td>{r.user.login && <Link to={userLink(r.user.login, r.day)}>{r.user.login}</Link>}</td>
                    <td>{r.organization?.name ?? ''}</td>
                    <td>{r.events}</td>
                    <td>{japanTime(r.firstAt)}〜{japanTime(r.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Report>
    </>
  );
}

function BreakGlassReport({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`breakglass:${from}:${to}`, (signal) => privacyApi.breakGlass({ from, to }, signal));
  return (
    <Report resource={resource} reload={reload} empty={(d) => d.items.length === 0}>
      {(d) => (
        <div className="table-wrap">
          <table className="table" data-testid="break-glass">
            <thead><tr><th scope="col">{t('audit.col.started')}</th><th scope="col">{t('audit.col.user')}</th><th scope="col">{t('audit.col.case')}</th><th scope="col">{t('audit.col.reason')}</th><th scope="col">{t('audit.col.duration')}</th><th scope="col">{t('audit.col.review')}</th></tr></thead>
            <tbody>
              {d.items.map((r) => (
                <tr key={`${r.user.id}:${r.startedAt}`}>
                  <td><DateTimeText value={r.startedAt} /></td>
                  <td>{r.user.login}<span className="audit-table__sub">{r.organization?.name ?? ''}</span></td>
                  <td><code className="audit-table__id">{r.caseId ?? ''}</code></td>
                  <td>{r.reason ?? ''}</td>
                  <td>{r.minutes === null ? <Badge tone="urgent">{t('audit.notEnded')}</Badge> : t('audit.minutes', { count: r.minutes })}</td>
                  <td>{r.reviewClosed === null ? t('audit.reviewUnknown') : r.reviewClosed ? t('audit.reviewClosed') : t('audit.reviewOpen')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Report>
  );
}
