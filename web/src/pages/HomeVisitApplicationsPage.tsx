import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Pager, useCursorParam } from '../components/Pager.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { CONSENT_FIELDS, homeVisitApi, type ConsentField, type Eligibility, type WindowApplication } from '../prefecture/homeVisits.ts';
import { useResource } from '../useResource.ts';

interface Draft {
  personName: string; age: string; contact: string; situation: string; pastCompulsorySchooling: boolean; livesInMunicipality: boolean; monthsWithdrawn: string;
  consentBy: 'person' | 'family'; relation: string; consentOn: string; method: 'in_person' | 'phone' | 'written'; fields: ConsentField[];
}

/**
 * 訪問相談の申込み: the window records an application with the consent and
 * sees, before sending, whether the person meets the centre's rules — and if
 * not, why and what else the centre offers. Below, its applications and
 * where each ended.
 */
export function HomeVisitApplicationsPage() {
  const { t } = useTranslation();
  usePageTitle(t('homeVisits.window.title'));
  const [params] = useSearchParams();
  const caseId = params.get('case');
  const [draft, setDraft] = useState<Draft>({
    personName: '', age: '', contact: '', situation: '', pastCompulsorySchooling: true, livesInMunicipality: true, monthsWithdrawn: '',
    consentBy: 'person', relation: '', consentOn: japanToday(new Date()), method: 'in_person', fields: ['age'],
  });
  const [checked, setChecked] = useState<Eligibility | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<WindowApplication | null>(null);
  const { cursor, link } = useCursorParam();
  const navigate = useNavigate();
  const [list, reload] = useResource(`home-visit-applications:${cursor ?? ''}`, (signal) => homeVisitApi.list(cursor, signal));

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => { setDraft((d) => ({ ...d, [k]: v })); setChecked(null); };
  const facts = () => ({
    age: Number(draft.age), pastCompulsorySchooling: draft.pastCompulsorySchooling, livesInMunicipality: draft.livesInMunicipality, monthsWithdrawn: Number(draft.monthsWithdrawn),
  });
  const local = (): Record<string, string> => {
    const problems: Record<string, string> = {};
    if (!/^\d{1,3}$/.test(draft.age)) problems.age = t('homeVisits.window.ageRequired');
    if (!/^\d{1,4}$/.test(draft.monthsWithdrawn)) problems.monthsWithdrawn = t('homeVisits.window.monthsRequired');
    return problems;
  };
  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.fields.length) setFieldErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
    else setError(e);
  };

  async function check() {
    setError(null);
    const problems = local();
    setFieldErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try { setChecked(await homeVisitApi.eligibility(facts())); } catch (e) { fail(e); } finally { setBusy(false); }
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!checked) return check();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const a = await homeVisitApi.apply({
        ...facts(), caseId, personName: draft.personName.trim() || null, contact: draft.contact.trim() || null, situation: draft.situation.trim() || null,
        consent: { by: draft.consentBy, relation: draft.consentBy === 'family' ? draft.relation.trim() : null, on: draft.consentOn, method: draft.method, fields: draft.fields },
      });
      setSaved(a);
      setChecked(null);
      // the new application heads the first page
      if (cursor) navigate(link());
      else reload();
    } catch (e) { fail(e); } finally { setBusy(false); }
  }

  const err = (f: string) => fieldErrors[f] ? <p className="field-error" role="alert">{fieldErrors[f]}</p> : null;
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('homeVisits.window.title')}</h1></div>
      <p className="page__intro">{t('homeVisits.window.intro')}</p>
      <form onSubmit={submit} className="form" aria-label={t('homeVisits.window.form')}>
        {caseId && <p className="doc-note">{t('homeVisits.window.fromCase')}</p>}
        <fieldset>
          <legend>{t('homeVisits.window.person')}</legend>
          <label>{t('homeVisits.field.name')}<input value={draft.personName} onChange={(e) => set('personName', e.target.value)} maxLength={100} /></label>{err('personName')}
          <label>{t('homeVisits.field.age')}<input inputMode="numeric" value={draft.age} onChange={(e) => set('age', e.target.value)} required /></label>{err('age')}
          <label>{t('homeVisits.field.contact')}<input value={draft.contact} onChange={(e) => set('contact', e.target.value)} maxLength={200} /></label>{err('contact')}
          <label>{t('homeVisits.field.situation')}<textarea value={draft.situation} onChange={(e) => set('situation', e.target.value)} maxLength={2000} /></label>{err('situation')}
          <label className="choice"><input type="checkbox" checked={draft.pastCompulsorySchooling} onChange={(e) => set('pastCompulsorySchooling', e.target.checked)} /> {t('homeVisits.field.pastCompulsorySchooling')}</label>
          <label className="choice"><input type="checkbox" checked={draft.livesInMunicipality} onChange={(e) => set('livesInMunicipality', e.target.checked)} /> {t('homeVisits.field.livesInMunicipality')}</label>
          <label>{t('homeVisits.field.monthsWithdrawn')}<input inputMode="numeric" value={draft.monthsWithdrawn} onChange={(e) => set('monthsWithdrawn', e.target.value)} required /></label>{err('monthsWithdrawn')}
        </fieldset>
        <fieldset>
          <legend>{t('homeVisits.window.consent')}</legend>
          <label>{t('homeVisits.field.consentBy')}
            <select value={draft.consentBy} onChange={(e) => set('consentBy', e.target.value as Draft['consentBy'])}>
              <option value="person">{t('homeVisits.consentBy.person')}</option><option value="family">{t('homeVisits.consentBy.family')}</option>
            </select>
          </label>
          {draft.consentBy === 'family' && <><label>{t('homeVisits.field.relation')}<input value={draft.relation} onChange={(e) => set('relation', e.target.value)} maxLength={50} /></label>{err('consent.relation')}</>}
          <label>{t('homeVisits.field.consentOn')}<input type="date" value={draft.consentOn} onChange={(e) => set('consentOn', e.target.value)} required /></label>{err('consent.on')}
          <label>{t('homeVisits.field.method')}
            <select value={draft.method} onChange={(e) => set('method', e.target.value as Draft['method'])}>
              {(['in_person', 'phone', 'written'] as const).map((m) => <option key={m} value={m}>{t(`homeVisits.method.${m}`)}</option>)}
            </select>
          </label>
          <fieldset>
            <legend>{t('homeVisits.field.fields')}</legend>
            {CONSENT_FIELDS.map((f) => (
              <label key={f} className="choice">
                <input type="checkbox" checked={draft.fields.includes(f)} onChange={(e) => set('fields', e.target.checked ? [...draft.fields, f] : draft.fields.filter((x) => x !== f))} /> {t(`homeVisits.consentField.${f}`)}
              </label>
            ))}
          </fieldset>
        </fieldset>
        {checked && (
          <section className={checked.eligible ? 'notice' : 'notice notice--warning'} data-testid="eligibility" aria-live="polite">
            <h2>{t(checked.eligible ? 'homeVisits.window.eligible' : 'homeVisits.window.notEligible')}</h2>
            {checked.reasons.length > 0 && <ul>{checked.reasons.map((r) => <li key={r.rule}>{r.message}</li>)}</ul>}
            {checked.alternatives.length > 0 && (<><p>{t('homeVisits.window.alternatives')}</p><ul>{checked.alternatives.map((a) => <li key={a}>{a}</li>)}</ul></>)}
          </section>
        )}
        {error !== null && <p className="field-error" role="alert">{errorMessage(t, error)}</p>}
        <div className="form__actions">
          {!checked
            ? <button type="button" onClick={check} disabled={busy}>{t('homeVisits.window.check')}</button>
            : <button type="submit" disabled={busy}>{t(checked.eligible ? 'homeVisits.window.send' : 'homeVisits.window.recordNotPassed')}</button>}
        </div>
        {saved && <p className="notice" role="status">{t(saved.status === 'passed' ? 'homeVisits.window.sent' : 'homeVisits.window.recorded')}</p>}
      </form>

      <h2>{t('homeVisits.window.list')}</h2>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('homeVisits.window.empty')}</p> : (<>
        <table className="table" data-testid="applications">
          <thead><tr><th>{t('homeVisits.field.appliedAt')}</th><th>{t('homeVisits.field.name')}</th><th>{t('homeVisits.field.status')}</th><th>{t('homeVisits.field.handBack')}</th></tr></thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.id}>
                <td><DateTimeText value={a.createdAt} /></td>
                <td>{a.personName ?? t('homeVisits.noName')}</td>
                <td>{t(`homeVisits.status.${a.status}`)}{a.visitCount > 0 && <>（{t('homeVisits.visitCount', { count: a.visitCount })}）</>}</td>
                <td>{a.handBack ? <>{a.handBack.organization.name}（{t(`homeVisits.handBackKind.${a.handBack.kind}`)}、<DateTimeText value={a.handBack.at} />）</> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager cursor={cursor} nextCursor={list.data.nextCursor} link={link} />
      </>))}
    </article>
  );
}
