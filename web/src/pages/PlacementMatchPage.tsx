import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { japanToday, OUTCOMES, placementsApi, SUPPORT_KINDS, WEEKDAYS, type Match, type PlacementRecord, type Reason, type WorkPreferences } from '../programs/placements/api.ts';
import { useResource } from '../useResource.ts';

/** Keys built from codes the server sends (kinds, aspects, weekdays) are checked by the i18n key test, not by the compiler. */
type Loose = (key: string, options?: Record<string, unknown>) => string;

const list = (text: string) => text.split(/[、,\n]/).map((s) => s.trim()).filter(Boolean);
const num = (text: string) => (text.trim() === '' ? null : Number(text));

/** 受け入れ先のマッチング for the person on a case: work preferences, ranked placements with reasons, and the placement records. */
export function PlacementMatchPage() {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const { id = '' } = useParams();
  usePageTitle(t('placements.match.title'));
  const [matches, reloadMatches] = useResource(`placement-matches-${id}`, (signal) => placementsApi.matches(id, signal));
  const [records, reloadRecords] = useResource(`placement-records-${id}`, (signal) => placementsApi.records(id, signal));
  const reload = () => { reloadMatches(); reloadRecords(); };
  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('placements.match.title')}</h1>
        <div className="page__actions no-print"><Link className="button button--secondary" to={`/cases/${encodeURIComponent(id)}`}>{t('placements.match.backToCase')}</Link></div>
      </div>
      {matches.status === 'loading' && <Loading />}
      {matches.status === 'error' && <ErrorPanel error={matches.error} onRetry={reload} />}
      {matches.status === 'ok' && (
        <>
          <PreferencesForm caseId={id} prefs={matches.data.preferences} onSaved={reload} />
          <section aria-labelledby="ranked">
            <h2 id="ranked">{t('placements.match.ranked')}</h2>
            {matches.data.matches.length === 0 ? <p className="empty">{t('placements.empty')}</p> : (
              <ol className="plain-list" data-testid="placement-matches">
                {matches.data.matches.map((m) => <MatchItem key={m.placementId} caseId={id} match={m} onLinked={reload} />)}
              </ol>
            )}
          </section>
        </>
      )}
      <section aria-labelledby="records">
        <h2 id="records">{t('placements.record.title')}</h2>
        {records.status === 'loading' && <Loading />}
        {records.status === 'error' && <ErrorPanel error={records.error} onRetry={reloadRecords} />}
        {records.status === 'ok' && (records.data.items.length === 0 ? <p className="empty">{t('placements.record.empty')}</p> : (
          <ul className="plain-list" data-testid="placement-records">
            {records.data.items.map((r) => <RecordItem key={r.id} record={r} onSaved={reload} />)}
          </ul>
        ))}
      </section>
    </article>
  );
}

function PreferencesForm({ caseId, prefs, onSaved }: { caseId: string; prefs: WorkPreferences; onSaved: () => void }) {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const [network] = useResource('network', (signal) => api.getNetwork(signal));
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    try {
      await placementsApi.savePreferences(caseId, {
        version: prefs.version, hoursMin: num(s('hoursMin')), hoursMax: num(s('hoursMax')), days: f.getAll('days').map(String), tasks: list(s('tasks')),
        areaId: s('areaId') || null, maxTravelMinutes: num(s('maxTravelMinutes')), supportNeeded: f.getAll('supportNeeded').map(String), notes: s('notes') || null,
      });
      setError(null);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // the area list comes with the network: the form waits for it so the saved area shows as chosen
  if (network.status !== 'ok') return network.status === 'error' ? <ErrorPanel error={network.error} /> : <Loading />;
  return (
    <section aria-labelledby="work-preferences" className="card">
      <h2 id="work-preferences">{t('placements.prefs.title')}</h2>
      <form onSubmit={submit} className="form" key={prefs.version}>
        <div className="field"><label htmlFor="wp-hours-min">{t('placements.prefs.hoursMin')}</label><input id="wp-hours-min" name="hoursMin" type="number" min={0} max={80} step="0.5" defaultValue={prefs.hoursMin ?? ''} /></div>
        <div className="field"><label htmlFor="wp-hours-max">{t('placements.prefs.hoursMax')}</label><input id="wp-hours-max" name="hoursMax" type="number" min={0} max={80} step="0.5" defaultValue={prefs.hoursMax ?? ''} /></div>
        <fieldset className="field"><legend>{t('placements.prefs.days')}</legend>
          {WEEKDAYS.map((d) => <label key={d} className="choice"><input type="checkbox" name="days" value={d} defaultChecked={prefs.days.includes(d)} /> {t(`placements.weekday.${d}`)}</label>)}
        </fieldset>
        <div className="field"><label htmlFor="wp-tasks">{t('placements.prefs.tasks')}</label><p className="field__hint">{t('placements.listHint')}</p><input id="wp-tasks" name="tasks" defaultValue={prefs.tasks.join('、')} /></div>
        <div className="field">
          <label htmlFor="wp-area">{t('placements.prefs.area')}</label>
          <select id="wp-area" name="areaId" defaultValue={prefs.areaId ?? ''}>
            <option value="">{t('placements.none')}</option>
            {network.data.areas.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="wp-travel">{t('placements.prefs.maxTravelMinutes')}</label><input id="wp-travel" name="maxTravelMinutes" type="number" min={0} max={600} defaultValue={prefs.maxTravelMinutes ?? ''} /></div>
        <fieldset className="field"><legend>{t('placements.prefs.supportNeeded')}</legend>
          {SUPPORT_KINDS.map((k) => <label key={k} className="choice"><input type="checkbox" name="supportNeeded" value={k} defaultChecked={prefs.supportNeeded.includes(k)} /> {t(`placements.support.${k}`)}</label>)}
        </fieldset>
        <div className="field"><label htmlFor="wp-notes">{t('placements.prefs.notes')}</label><textarea id="wp-notes" name="notes" maxLength={2000} defaultValue={prefs.notes ?? ''} /></div>
        {error && <p className="field__error" role="alert">{error}</p>}
        <button type="submit" className="button">{t('placements.prefs.save')}</button>
      </form>
    </section>
  );
}

function reasonText(t: Loose, r: Reason): string {
  const d = r.detail;
  const join = (v: unknown) => (Array.isArray(v) ? v.join('、') : String(v ?? ''));
  switch (r.aspect) {
    case 'place': return t(`placements.reason.place.${r.verdict === 'unknown' ? 'unknown' : String(d.why)}`, { minutes: d.minutes, max: d.max });
    case 'support': return r.verdict === 'fits' ? t('placements.reason.support.fits') : t('placements.reason.support.missing', { missing: (d.missing as string[]).map((k) => t(`placements.support.${k}`)).join('、') });
    case 'places': return t('placements.reason.places', { left: d.left, capacity: d.capacity });
    case 'days': return r.verdict === 'unknown' ? t('placements.reason.days.unknown') : r.verdict === 'fits' ? t('placements.reason.days.fits', { days: (d.common as string[]).map((x) => t(`placements.weekday.${x}`)).join('・') }) : t('placements.reason.days.misses');
    case 'tasks': return r.verdict === 'unknown' ? t('placements.reason.tasks.unknown') : r.verdict === 'fits' ? t('placements.reason.tasks.fits', { tasks: join(d.common) }) : t('placements.reason.tasks.misses');
    default: return t(`placements.reason.hours.${r.verdict}`);
  }
}

function MatchItem({ caseId, match, onLinked }: { caseId: string; match: Match; onLinked: () => void }) {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const [error, setError] = useState<string | null>(null);
  const p = match.placement;
  const link = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    try {
      await placementsApi.createRecord({ caseId, placementId: p.id, trialFrom: String(f.get('trialFrom') || '') || null, trialTo: String(f.get('trialTo') || '') || null });
      onLinked();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li className="card" aria-label={p.name}>
      <h3>{p.name} <span className="badge">{match.fits ? t('placements.match.fits') : t('placements.match.doesNotFit')}</span> <span>{t('placements.match.score', { score: match.score })}</span></h3>
      <p>{t(`placements.kind.${p.kind}`)} / {p.tasks.join('、')} / {p.area?.name ?? p.place ?? ''}</p>
      <ul>
        {match.reasons.map((r) => <li key={r.aspect} data-verdict={r.verdict}>{t(`placements.verdict.${r.verdict}`)} {t(`placements.aspect.${r.aspect}`)}: {reasonText(t, r)}</li>)}
      </ul>
      <form onSubmit={link} className="form form--inline">
        <div className="field"><label htmlFor={`tf-${p.id}`}>{t('placements.record.trialFrom')}</label><input id={`tf-${p.id}`} name="trialFrom" type="date" /></div>
        <div className="field"><label htmlFor={`tt-${p.id}`}>{t('placements.record.trialTo')}</label><input id={`tt-${p.id}`} name="trialTo" type="date" /></div>
        <button type="submit" className="button">{t('placements.match.link', { name: p.name })}</button>
      </form>
      {error && <p className="field__error" role="alert">{error}</p>}
    </li>
  );
}

function RecordItem({ record: r, onSaved }: { record: PlacementRecord; onSaved: () => void }) {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const [error, setError] = useState<string | null>(null);
  const save = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    const outcome = String(f.get('outcome') || '') || null;
    try {
      await placementsApi.updateRecord(r.id, {
        version: r.version, daysAttended: Number(f.get('daysAttended') || 0),
        ...(outcome !== r.outcome ? { outcome, outcomeOn: String(f.get('outcomeOn') || '') || japanToday(), endedReason: String(f.get('endedReason') || '') || null } : {}),
      });
      setError(null);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li className="card" aria-label={r.placement.name}>
      <h3>{r.placement.name}</h3>
      <p>
        {r.trialFrom && <>{t('placements.record.trial')}: <DateText value={r.trialFrom} />〜{r.trialTo && <DateText value={r.trialTo} />} </>}
        {r.outcome && <>{t('placements.record.outcome')}: {t(`placements.outcome.${r.outcome}`)} </>}
        {r.jobStartedOn && <>{t('placements.record.jobStartedOn')}: <DateText value={r.jobStartedOn} /></>}
      </p>
      {r.checkIns.length > 0 && (
        <ul data-testid="check-ins">
          {r.checkIns.map((k) => (
            <li key={k.months}>{t('placements.record.checkIn', { months: k.months })}: <DateText value={k.dueOn} /> — {k.doneOn ? t(k.stillWorking ? 'placements.queue.stillWorking' : 'placements.queue.left') : t('placements.record.pending')}</li>
          ))}
        </ul>
      )}
      <form onSubmit={save} className="form form--inline" key={r.version}>
        <div className="field"><label htmlFor={`da-${r.id}`}>{t('placements.record.daysAttended')}</label><input id={`da-${r.id}`} name="daysAttended" type="number" min={0} defaultValue={r.daysAttended} /></div>
        <div className="field">
          <label htmlFor={`oc-${r.id}`}>{t('placements.record.outcome')}</label>
          <select id={`oc-${r.id}`} name="outcome" defaultValue={r.outcome ?? ''}>
            <option value="">{t('placements.record.ongoing')}</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{t(`placements.outcome.${o}`)}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor={`oo-${r.id}`}>{t('placements.record.outcomeOn')}</label><input id={`oo-${r.id}`} name="outcomeOn" type="date" /></div>
        <div className="field"><label htmlFor={`er-${r.id}`}>{t('placements.record.endedReason')}</label><input id={`er-${r.id}`} name="endedReason" maxLength={1000} defaultValue={r.endedReason ?? ''} /></div>
        <button type="submit" className="button">{t('placements.record.save')}</button>
      </form>
      {error && <p className="field__error" role="alert">{error}</p>}
    </li>
  );
}
