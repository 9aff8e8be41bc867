import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Pager, useCursorParam } from '../components/Pager.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { homeVisitApi, type CentreApplication } from '../prefecture/homeVisits.ts';
import { useResource } from '../useResource.ts';

/** 訪問相談 at the centre: the applications municipalities' windows passed on, with only what each consent covers. */
export function PrefectureHomeVisitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('homeVisits.centre.title'));
  const { cursor, link } = useCursorParam();
  const [list, reload] = useResource(`centre-home-visits:${cursor ?? ''}`, (signal) => homeVisitApi.centreList(cursor, signal));
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('homeVisits.centre.title')}</h1></div>
      <p className="page__intro">{t('homeVisits.centre.intro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('homeVisits.centre.empty')}</p> : (<>
        <table className="table" data-testid="centre-applications">
          <thead><tr><th>{t('homeVisits.field.passedAt')}</th><th>{t('homeVisits.field.municipality')}</th><th>{t('homeVisits.field.person')}</th><th>{t('homeVisits.field.status')}</th></tr></thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.id}>
                <td><Link to={`/prefecture/home-visits/${encodeURIComponent(a.id)}`}><DateTimeText value={a.passedAt} /></Link></td>
                <td lang="ja">{a.municipality.name}</td>
                <td>{personLine(t, a)}</td>
                <td>{t(`homeVisits.status.${a.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager cursor={cursor} nextCursor={list.data.nextCursor} link={link} />
      </>))}
    </article>
  );
}

const personLine = (t: TFunction, a: CentreApplication) =>
  [a.person.name ?? t('homeVisits.noName'), a.person.age !== undefined ? t('homeVisits.ageValue', { age: a.person.age }) : null].filter(Boolean).join('・');

/** One application at the centre: accept it, record the visits, hand the person back to a local organisation. */
export function PrefectureHomeVisitPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  usePageTitle(t('homeVisits.centre.one'));
  const [resource, reload] = useResource(`centre-home-visit:${id}`, (signal) => homeVisitApi.centreGet(id, signal));
  const [changed, setChanged] = useState<CentreApplication | null>(null);
  const a = changed ?? (resource.status === 'ok' ? resource.data : null);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('homeVisits.centre.one')}</h1></div>
      <p><Link to="/prefecture/home-visits">{t('homeVisits.centre.back')}</Link></p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {a && (
        <>
          <dl className="facts" data-testid="application">
            <dt>{t('homeVisits.field.municipality')}</dt><dd lang="ja">{a.municipality.name}</dd>
            <dt>{t('homeVisits.field.status')}</dt><dd data-testid="status">{t(`homeVisits.status.${a.status}`)}</dd>
            {a.person.name !== undefined && <><dt>{t('homeVisits.field.name')}</dt><dd>{a.person.name}</dd></>}
            {a.person.age !== undefined && <><dt>{t('homeVisits.field.age')}</dt><dd>{t('homeVisits.ageValue', { age: a.person.age })}</dd></>}
            {a.person.contact !== undefined && <><dt>{t('homeVisits.field.contact')}</dt><dd>{a.person.contact}</dd></>}
            {a.person.situation !== undefined && <><dt>{t('homeVisits.field.situation')}</dt><dd>{a.person.situation}</dd></>}
            <dt>{t('homeVisits.field.monthsWithdrawn')}</dt><dd>{t('homeVisits.monthsValue', { months: a.monthsWithdrawn })}</dd>
            <dt>{t('homeVisits.window.consent')}</dt>
            <dd>
              {a.consent.by === 'family' ? `${t('homeVisits.consentBy.family')}（${a.consent.relation ?? ''}）` : t('homeVisits.consentBy.person')}、<DateText value={a.consent.on} />、
              {t(`homeVisits.method.${a.consent.method}`)}。{t('homeVisits.field.fields')}: {a.consent.fields.map((f) => t(`homeVisits.consentField.${f}`)).join('・') || '—'}
            </dd>
            <dt>{t('homeVisits.field.legalBasis')}</dt><dd>{t('homeVisits.legalBasisConsent')}</dd>
          </dl>
          {a.status === 'passed' && <AcceptButton id={a.id} onDone={setChanged} />}
          <h2>{t('homeVisits.centre.visits')}</h2>
          {a.visits.length === 0 ? <p className="empty">{t('homeVisits.centre.noVisits')}</p> : (
            <ul className="plain-list" data-testid="visits">
              {a.visits.map((v) => (
                <li key={v.id} className="doc-record">
                  <p className="doc-note"><DateText value={v.visitedOn} />　{v.place}　{t('homeVisits.field.visitors')}: {v.visitors.join('・')}　{t('homeVisits.field.met')}: {v.met}</p>
                  {v.whatHappened !== undefined && <p>{v.whatHappened}</p>}
                </li>
              ))}
            </ul>
          )}
          {a.status === 'accepted' && <VisitForm id={a.id} onDone={setChanged} />}
          {a.handBack && (
            <section data-testid="hand-back">
              <h2>{t('homeVisits.field.handBack')}</h2>
              <p>{a.handBack.organization.name}（{t(`homeVisits.handBackKind.${a.handBack.kind}`)}、<DateTimeText value={a.handBack.at} />）</p>
              {a.handBack.note && <p>{a.handBack.note}</p>}
            </section>
          )}
          {a.status === 'accepted' && <HandBackForm id={a.id} onDone={setChanged} />}
        </>
      )}
    </article>
  );
}

function AcceptButton({ id, onDone }: { id: string; onDone: (a: CentreApplication) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="form__actions">
      <button type="button" onClick={async () => { try { onDone(await homeVisitApi.accept(id)); } catch (e) { setError(e); } }}>{t('homeVisits.centre.accept')}</button>
      {error !== null && <p className="field-error" role="alert">{errorMessage(t, error)}</p>}
    </div>
  );
}

function useSubmit(onDone: (a: CentreApplication) => void) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<CentreApplication>) => {
    setBusy(true); setError(null); setFields({});
    try { onDone(await call()); return true; } catch (e) {
      if (e instanceof ApiError && e.fields.length) setFields(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
      else setError(e);
      return false;
    } finally { setBusy(false); }
  };
  return { fields, error, busy, run };
}

function VisitForm({ id, onDone }: { id: string; onDone: (a: CentreApplication) => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ visitedOn: japanToday(new Date()), visitors: '', place: '', met: '', whatHappened: '' });
  const { fields, error, busy, run } = useSubmit(onDone);
  const err = (f: string) => fields[f] ? <p className="field-error" role="alert">{fields[f]}</p> : null;
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const ok = await run(() => homeVisitApi.visit(id, { ...v, visitors: v.visitors.split(/[、,・\s]+/).filter(Boolean) }));
    if (ok) setV({ ...v, visitors: '', place: '', met: '', whatHappened: '' });
  }
  return (
    <form onSubmit={submit} className="form" aria-label={t('homeVisits.centre.recordVisit')}>
      <h3>{t('homeVisits.centre.recordVisit')}</h3>
      <label>{t('homeVisits.field.visitedOn')}<input type="date" value={v.visitedOn} onChange={(e) => setV({ ...v, visitedOn: e.target.value })} required /></label>{err('visitedOn')}
      <label>{t('homeVisits.field.visitors')}<input value={v.visitors} onChange={(e) => setV({ ...v, visitors: e.target.value })} required placeholder={t('homeVisits.visitorsHint')} /></label>{err('visitors')}
      <label>{t('homeVisits.field.place')}<input value={v.place} onChange={(e) => setV({ ...v, place: e.target.value })} required maxLength={200} /></label>{err('place')}
      <label>{t('homeVisits.field.met')}<input value={v.met} onChange={(e) => setV({ ...v, met: e.target.value })} required maxLength={200} /></label>{err('met')}
      <label>{t('homeVisits.field.whatHappened')}<textarea value={v.whatHappened} onChange={(e) => setV({ ...v, whatHappened: e.target.value })} required maxLength={4000} /></label>{err('whatHappened')}
      {error !== null && <p className="field-error" role="alert">{errorMessage(t, error)}</p>}
      <div className="form__actions"><button type="submit" disabled={busy}>{t('homeVisits.centre.saveVisit')}</button></div>
    </form>
  );
}

function HandBackForm({ id, onDone }: { id: string; onDone: (a: CentreApplication) => void }) {
  const { t } = useTranslation();
  const [targets] = useResource(`hand-back-targets:${id}`, (signal) => homeVisitApi.targets(id, signal));
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const { fields, error, busy, run } = useSubmit(onDone);
  const err = (f: string) => fields[f] ? <p className="field-error" role="alert">{fields[f]}</p> : null;
  return (
    <form onSubmit={(ev) => { ev.preventDefault(); void run(() => homeVisitApi.handBack(id, { toOrganizationId: to, note })); }} className="form" aria-label={t('homeVisits.centre.handBack')}>
      <h3>{t('homeVisits.centre.handBack')}</h3>
      <p className="doc-note">{t('homeVisits.centre.handBackIntro')}</p>
      <label>{t('homeVisits.field.toOrganization')}
        <select value={to} onChange={(e) => setTo(e.target.value)} required>
          <option value="">{t('homeVisits.choose')}</option>
          {targets.status === 'ok' && targets.data.items.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </label>{err('toOrganizationId')}
      <label>{t('homeVisits.field.note')}<textarea value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} /></label>{err('note')}
      {error !== null && <p className="field-error" role="alert">{errorMessage(t, error)}</p>}
      <div className="form__actions"><button type="submit" disabled={busy || !to}>{t('homeVisits.centre.sendHandBack')}</button></div>
    </form>
  );
}
