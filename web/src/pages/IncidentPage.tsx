import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { mayKeepIncidents } from '../access.ts';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { japanDateTimeInputs } from '../lib/dates.ts';
import { japanInstant } from '../lib/privacy.ts';
import { privacyApi } from '../privacy/api.ts';
import { DeadlineText, IncidentStatusBadge } from '../privacy/IncidentParts.tsx';
import type { AccessedPersons, IncidentDetail, IncidentStatus, ReportKind } from '../privacy/types.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

const STATUSES: readonly IncidentStatus[] = ['investigating', 'contained', 'closed'];

/**
 * One incident: what happened, the deadlines for reporting to the
 * 個人情報保護委員会 (days left, overdue highlighted), the reports made, what
 * was done, the persons affected and their notification (本人通知), and the
 * lookup of everyone whose records an account read in a time window.
 */
export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { role } = useSignedInSession();
  const keeper = mayKeepIncidents(role);
  const [resource, reload] = useResource(`incident:${id}`, (signal) => privacyApi.getIncident(id, signal));
  const [fresh, setFresh] = useState<IncidentDetail | null>(null);
  const incident = fresh && fresh.id === id ? fresh : resource.status === 'ok' ? resource.data : null;
  usePageTitle(incident ? `${incident.reference} ${incident.title}` : t('incident.title'));
  if (!incident) return resource.status === 'error' ? <ErrorPanel error={resource.error} onRetry={reload} /> : <Loading />;
  const update = (next: IncidentDetail) => setFresh(next);

  return (
    <article className="page incident">
      <div className="page__heading">
        <h1>{incident.reference} {incident.title}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p><IncidentStatusBadge status={incident.status} /></p>

      <section aria-labelledby="incident-deadlines">
        <h2 id="incident-deadlines">{t('incident.deadlinesTitle')}</h2>
        {incident.deadlines.reportable ? (
          <>
            <p>{t('incident.groundsAre', { grounds: incident.deadlines.grounds.map((g) => t(`incident.ground.${g}`)).join('、') })}</p>
            <table className="table" data-testid="deadlines">
              <tbody>
                {incident.deadlines.deadlines.map((d) => (
                  <tr key={d.kind}><th scope="row">{t(`incident.kind.${d.kind}`)}{d.target && <span className="audit-table__sub">{t('incident.targetNote')}</span>}</th><td><DeadlineText deadline={d} /></td></tr>
                ))}
              </tbody>
            </table>
          </>
        ) : <p>{t('incident.notReportableLong')}</p>}
        <p className="section__hint">{t('incident.deadlineSource')}</p>
      </section>

      <section aria-labelledby="incident-facts">
        <h2 id="incident-facts">{t('incident.facts')}</h2>
        <Facts>
          <Fact label={t('incident.discoveredAt')}><DateTimeText value={incident.discoveredAt} /></Fact>
          <Fact label={t('incident.occurred')}>{incident.occurredFrom ? <DateTimeText value={incident.occurredFrom} /> : '—'}〜{incident.occurredTo ? <DateTimeText value={incident.occurredTo} /> : '—'}</Fact>
          <Fact label={t('incident.description')}>{incident.description}</Fact>
          <Fact label={t('incident.dataKinds')}>{incident.dataKinds.join('、') || '—'}</Fact>
          <Fact label={t('incident.sensitiveData')}>{incident.sensitiveData ? t('incident.yes') : t('incident.no')}</Fact>
          <Fact label={t('incident.financialHarmRisk')}>{incident.financialHarmRisk ? t('incident.yes') : t('incident.no')}</Fact>
          <Fact label={t('incident.unauthorizedPurpose')}>{incident.unauthorizedPurpose ? t('incident.yes') : t('incident.no')}</Fact>
          <Fact label={t('incident.persons')}>{t('incident.personsValue', { identified: incident.identifiedPersons, stated: incident.personsCount ?? '—' })}</Fact>
        </Facts>
        {keeper && <StatusForm incident={incident} onDone={update} />}
      </section>

      <section aria-labelledby="incident-reports">
        <h2 id="incident-reports">{t('incident.reportsTitle')}</h2>
        {incident.reports.length === 0 ? <p className="empty">{t('incident.noReports')}</p> : (
          <ul className="plain-list">
            {incident.reports.map((r) => <li key={r.seq}>{t(`incident.kind.${r.kind}`)}: <DateText value={r.reportedOn} />{r.note ? `（${r.note}）` : ''}</li>)}
          </ul>
        )}
        {keeper && <ReportForm incident={incident} onDone={update} />}
      </section>

      <section aria-labelledby="incident-actions">
        <h2 id="incident-actions">{t('incident.actionsTitle')}</h2>
        {incident.actions.length === 0 ? <p className="empty">{t('incident.noActions')}</p> : (
          <ul className="plain-list">{incident.actions.map((a) => <li key={a.seq}><DateTimeText value={a.takenAt} />: {a.description}</li>)}</ul>
        )}
        {keeper && <ActionForm incident={incident} onDone={update} />}
      </section>

      <PersonsSection incident={incident} keeper={keeper} onDone={update} />
      <AccessLookup incident={incident} keeper={keeper} onDone={update} />
    </article>
  );
}

/** A small form that sends once and shows the server's answer. */
function useSend(onDone: (i: IncidentDetail) => void) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; error: string | null; fields: Record<string, string> }>({ busy: false, error: null, fields: {} });
  const send = async (call: () => Promise<IncidentDetail>) => {
    setState({ busy: true, error: null, fields: {} });
    try {
      onDone(await call());
      setState({ busy: false, error: null, fields: {} });
      return true;
    } catch (error) {
      const fields = Object.fromEntries(((error as { fields?: { field: string; message: string }[] }).fields ?? []).map((f) => [f.field, f.message]));
      setState({ busy: false, error: errorMessage(t, error), fields });
      return false;
    }
  };
  return { ...state, send };
}

function FormError({ error, fields }: { error: string | null; fields: Record<string, string> }) {
  if (!error) return null;
  return <div className="form-error" role="alert"><p>{error}</p>{Object.values(fields).length > 0 && <ul>{Object.values(fields).map((m) => <li key={m}>{m}</li>)}</ul>}</div>;
}

function InlineForm({ label, onSubmit, children, busy, submit }: { label: string; onSubmit: () => void; children: ReactNode; busy: boolean; submit: string }) {
  return (
    <form className="filter no-print" aria-label={label} onSubmit={(e: FormEvent) => { e.preventDefault(); onSubmit(); }}>
      <div className="filter__row">{children}<button type="submit" className="button" disabled={busy}>{submit}</button></div>
    </form>
  );
}

function StatusForm({ incident, onDone }: { incident: IncidentDetail; onDone: (i: IncidentDetail) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const s = useSend(onDone);
  return (
    <>
      <InlineForm label={t('incident.changeStatus')} busy={s.busy} submit={t('incident.save')}
        onSubmit={() => void s.send(() => privacyApi.updateIncident(incident.id, { version: incident.version, status }))}>
        <label>{t('incident.statusLabel')}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus)}>
            {STATUSES.map((x) => <option key={x} value={x}>{t(`incident.status.${x}`)}</option>)}
          </select>
        </label>
      </InlineForm>
      <FormError error={s.error} fields={s.fields} />
    </>
  );
}

function ReportForm({ incident, onDone }: { incident: IncidentDetail; onDone: (i: IncidentDetail) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ReportKind>(incident.reports.some((r) => r.kind === 'preliminary') ? 'final' : 'preliminary');
  const [on, setOn] = useState(japanToday(new Date()));
  const [note, setNote] = useState('');
  const s = useSend(onDone);
  return (
    <>
      <InlineForm label={t('incident.recordReport')} busy={s.busy} submit={t('incident.recordReport')}
        onSubmit={() => void s.send(() => privacyApi.recordReport(incident.id, { kind, reportedOn: on, ...(note.trim() ? { note: note.trim() } : {}) })).then((ok) => ok && setNote(''))}>
        <label>{t('incident.reportKind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ReportKind)}>
            <option value="preliminary">{t('incident.kind.preliminary')}</option><option value="final">{t('incident.kind.final')}</option>
          </select>
        </label>
        <label>{t('incident.reportedOn')}<input type="date" name="reportedOn" value={on} onChange={(e) => setOn(e.target.value)} /></label>
        <label>{t('incident.note')}<input type="text" name="note" value={note} onChange={(e) => setNote(e.target.value)} /></label>
      </InlineForm>
      <FormError error={s.error} fields={s.fields} />
    </>
  );
}

function ActionForm({ incident, onDone }: { incident: IncidentDetail; onDone: (i: IncidentDetail) => void }) {
  const { t } = useTranslation();
  const now = japanDateTimeInputs(new Date());
  const [date, setDate] = useState(now.date);
  const [time, setTime] = useState(now.time);
  const [text, setText] = useState('');
  const s = useSend(onDone);
  return (
    <>
      <InlineForm label={t('incident.recordAction')} busy={s.busy} submit={t('incident.recordAction')}
        onSubmit={() => void s.send(() => privacyApi.recordAction(incident.id, { takenAt: japanInstant(date, time) ?? '', description: text })).then((ok) => ok && setText(''))}>
        <label>{t('incident.takenOn')}<input type="date" name="takenOn" value={date} onChange={(e) => setDate(e.target.value)} /></label>
        <label>{t('incident.time')}<input type="time" name="takenAt" value={time} onChange={(e) => setTime(e.target.value)} /></label>
        <label>{t('incident.actionText')}<input type="text" name="action" value={text} onChange={(e) => setText(e.target.value)} /></label>
      </InlineForm>
      <FormError error={s.error} fields={s.fields} />
    </>
  );
}

function PersonsSection({ incident, keeper, onDone }: { incident: IncidentDetail; keeper: boolean; onDone: (i: IncidentDetail) => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [on, setOn] = useState(japanToday(new Date()));
  const [method, setMethod] = useState('');
  const s = useSend(onDone);
  const toggle = (id: string, yes: boolean) => setChosen((c) => { const n = new Set(c); if (yes) n.add(id); else n.delete(id); return n; });
  return (
    <section aria-labelledby="incident-persons">
      <h2 id="incident-persons">{t('incident.personsTitle')}</h2>
      {incident.persons.length === 0 ? <p className="empty">{t('incident.noPersons')}</p> : (
        <div className="table-wrap">
          <table className="table" data-testid="affected-persons">
            <thead>
              <tr>
                {keeper && <th scope="col"><span className="visually-hidden">{t('incident.choose')}</span></th>}
                <th scope="col">{t('incident.personName')}</th><th scope="col">{t('incident.source')}</th><th scope="col">{t('incident.notified')}</th>
                {keeper && <th scope="col"><span className="visually-hidden">{t('incident.remove')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {incident.persons.map((p) => (
                <tr key={p.personId}>
                  {keeper && <td><input type="checkbox" aria-label={t('incident.choosePerson', { name: p.name ?? p.personId })} checked={chosen.has(p.personId)} onChange={(e) => toggle(p.personId, e.target.checked)} /></td>}
                  <td lang="ja">{p.held ? (p.name ?? t('incident.noName')) : t('incident.notHeld')}{p.nameKana && <span className="audit-table__sub">{p.nameKana}</span>}</td>
                  <td>{t(`incident.sourceValue.${p.source}`)}</td>
                  <td>{p.notifiedOn ? <><DateText value={p.notifiedOn} />（{p.notificationMethod}）</> : t('incident.notYet')}</td>
                  {keeper && <td><button type="button" className="button button--secondary" disabled={s.busy} onClick={() => void s.send(() => privacyApi.removePerson(incident.id, p.personId))}>{t('incident.remove')}</button></td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keeper && incident.persons.length > 0 && (
        <InlineForm label={t('incident.recordNotification')} busy={s.busy || chosen.size === 0} submit={t('incident.recordNotification')}
          onSubmit={() => void s.send(() => privacyApi.recordNotification(incident.id, { personIds: [...chosen], notifiedOn: on, method })).then((ok) => ok && setChosen(new Set()))}>
          <label>{t('incident.notifiedOn')}<input type="date" name="notifiedOn" value={on} onChange={(e) => setOn(e.target.value)} /></label>
          <label>{t('incident.method')}<input type="text" name="method" value={method} placeholder={t('incident.methodExample')} onChange={(e) => setMethod(e.target.value)} /></label>
        </InlineForm>
      )}
      <FormError error={s.error} fields={s.fields} />
    </section>
  );
}

function AccessLookup({ incident, keeper, onDone }: { incident: IncidentDetail; keeper: boolean; onDone: (i: IncidentDetail) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState({ login: '', fromDate: '', fromTime: '00:00', toDate: '', toTime: '23:59' });
  const [result, setResult] = useState<{ answer: AccessedPersons; from: string; to: string } | null>(null);
  const [lookup, setLookup] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const s = useSend(onDone);
  const run = async () => {
    const from = japanInstant(q.fromDate, q.fromTime);
    const to = japanInstant(q.toDate, q.toTime);
    if (!q.login.trim() || !from || !to) { setLookup({ busy: false, error: t('incident.lookupIncomplete') }); return; }
    setLookup({ busy: true, error: null });
    try {
      setResult({ answer: await privacyApi.accessedPersons({ login: q.login.trim(), from, to }), from, to });
      setLookup({ busy: false, error: null });
    } catch (error) {
      setLookup({ busy: false, error: errorMessage(t, error) });
    }
  };
  return (
    <section aria-labelledby="incident-lookup">
      <h2 id="incident-lookup">{t('incident.lookupTitle')}</h2>
      <p className="section__hint">{t('incident.lookupHint')}</p>
      <InlineForm label={t('incident.lookupTitle')} busy={lookup.busy} submit={t('incident.lookup')} onSubmit={() => void run()}>
        <label>{t('incident.account')}<input type="text" name="login" autoComplete="off" value={q.login} onChange={(e) => setQ({ ...q, login: e.target.value })} /></label>
        <label>{t('incident.windowFrom')}<input type="date" name="fromDate" value={q.fromDate} onChange={(e) => setQ({ ...q, fromDate: e.target.value })} /><input type="time" aria-label={t('incident.time')} value={q.fromTime} onChange={(e) => setQ({ ...q, fromTime: e.target.value })} /></label>
        <label>{t('incident.windowTo')}<input type="date" name="toDate" value={q.toDate} onChange={(e) => setQ({ ...q, toDate: e.target.value })} /><input type="time" aria-label={t('incident.time')} value={q.toTime} onChange={(e) => setQ({ ...q, toTime: e.target.value })} /></label>
      </InlineForm>
      {lookup.error && <p className="field__error" role="alert">{lookup.error}</p>}
      {result && (
        <>
          <p role="status">{t('incident.lookupCount', { count: result.answer.persons.length })}</p>
          {result.answer.persons.length > 0 && (
            <div className="table-wrap">
              <table className="table" data-testid="accessed-persons">
                <thead><tr><th scope="col">{t('incident.personName')}</th><th scope="col">{t('incident.records')}</th><th scope="col">{t('incident.accesses')}</th><th scope="col">{t('incident.firstLast')}</th></tr></thead>
                <tbody>
                  {result.answer.persons.map((p) => (
                    <tr key={p.personId}>
                      <td lang="ja">{p.name ?? t('incident.noName')}{p.nameKana && <span className="audit-table__sub">{p.nameKana}</span>}</td>
                      <td>{p.records}</td><td>{p.accesses}</td>
                      <td><DateTimeText value={p.firstAt} />〜<DateTimeText value={p.lastAt} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.answer.unresolved.length > 0 && (
            <p className="section__hint">{t('incident.unresolved', { list: result.answer.unresolved.map((u) => `${t(`audit.entity.${u.entityType}`, { defaultValue: u.entityType })} ${u.records}`).join('、') })}</p>
          )}
          {keeper && result.answer.persons.length > 0 && (
            <button type="button" className="button no-print" disabled={s.busy}
              onClick={() => void s.send(() => privacyApi.addPersons(incident.id, { accessedBy: { userId: result.answer.userId, from: result.from, to: result.to } }))}>
              {t('incident.addAll', { count: result.answer.persons.length })}
            </button>
          )}
          <FormError error={s.error} fields={s.fields} />
        </>
      )}
    </section>
  );
}
