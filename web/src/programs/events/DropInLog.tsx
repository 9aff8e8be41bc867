import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Pager, useCursorParam } from '../../components/Pager.tsx';
import { Loading, errorMessage } from '../../components/Status.tsx';
import { useResource } from '../../useResource.ts';
import { eventsApi } from './eventsApi.ts';
import { OpeningDays } from './OpeningDays.tsx';

/** 居場所の開所日ログ: visitors and first-timers per day; a visitor with a case who agreed can be linked to it. */
export function DropInLog() {
  const { t } = useTranslation();
  const [places] = useResource('drop-in-places', (signal) => eventsApi.dropInPlaces(signal));
  // the place and its page live in the URL (the events list above keeps its own page as `cursor`)
  const [params] = useSearchParams();
  const { cursor, link } = useCursorParam('dayCursor');
  const navigate = useNavigate();
  const listed = places.status === 'ok' ? places.data.items : [];
  const chosen = listed.find((p) => p.id === params.get('place'))?.id ?? listed[0]?.id ?? '';
  const choose = (place: string) => {
    const p = new URLSearchParams(params);
    p.set('place', place);
    p.delete('dayCursor');
    navigate(`?${p.toString()}`);
  };
  const [days, reload] = useResource(`drop-in-days-${chosen}:${cursor ?? ''}`, (signal) =>
    (chosen ? eventsApi.dropInDays(chosen, cursor, signal) : Promise.resolve({ items: [], nextCursor: null })));
  const [day, setDay] = useState('');
  const [visitors, setVisitors] = useState('');
  const [firstTimers, setFirstTimers] = useState('');
  const [caseId, setCaseId] = useState('');
  const [consented, setConsented] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await eventsApi.recordDropInDay({
        programId: chosen, day, visitors: Number(visitors || 0), firstTimers: Number(firstTimers || 0),
        caseVisits: caseId.trim() ? [{ caseId: caseId.trim(), consented }] : [],
      });
      setCaseId('');
      setConsented(false);
      if (cursor) navigate(link());
      else reload();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }
  return (
    <section aria-labelledby="drop-in-title">
      <h2 id="drop-in-title">{t('events.dropIn.title')}</h2>
      {places.status === 'loading' && <Loading />}
      {places.status === 'ok' && places.data.items.length === 0 && <p>{t('events.dropIn.none')}</p>}
      {places.status === 'ok' && places.data.items.length > 0 && (
        <>
          <label>{t('events.dropIn.place')}
            <select value={chosen} onChange={(e) => choose(e.target.value)}>
              {places.data.items.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          {chosen && <OpeningDays key={chosen} programId={chosen} />}
          <form onSubmit={submit} className="form">
            {error && <p role="alert">{error}</p>}
            <label>{t('events.dropIn.day')}<input type="date" required value={day} onChange={(e) => setDay(e.target.value)} /></label>
            <label>{t('events.dropIn.visitors')}<input type="number" min={0} required value={visitors} onChange={(e) => setVisitors(e.target.value)} /></label>
            <label>{t('events.firstTimers')}<input type="number" min={0} value={firstTimers} onChange={(e) => setFirstTimers(e.target.value)} /></label>
            <label>{t('events.dropIn.caseId')}<input value={caseId} onChange={(e) => setCaseId(e.target.value)} /></label>
            <label><input type="checkbox" checked={consented} onChange={(e) => setConsented(e.target.checked)} /> {t('events.dropIn.consented')}</label>
            <button type="submit" className="button">{t('events.dropIn.record')}</button>
          </form>
          {days.status === 'ok' && (
            <>
              <table className="table" data-testid="drop-in-days">
                <thead><tr><th scope="col">{t('events.dropIn.day')}</th><th scope="col">{t('events.dropIn.visitors')}</th><th scope="col">{t('events.firstTimers')}</th><th scope="col">{t('events.dropIn.linked')}</th></tr></thead>
                <tbody>{days.data.items.map((d) => <tr key={d.id}><td>{d.day}</td><td>{d.visitors}</td><td>{d.firstTimers}</td><td>{d.linkedCases}</td></tr>)}</tbody>
              </table>
              <Pager cursor={cursor} nextCursor={days.data.nextCursor} link={link} label={t('events.dropIn.pages')} />
            </>
          )}
        </>
      )}
    </section>
  );
}
