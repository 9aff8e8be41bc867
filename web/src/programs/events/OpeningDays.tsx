import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, errorMessage } from '../../components/Status.tsx';
import { useResource } from '../../useResource.ts';
import { eventsApi, type DropInOpening, type DropInOpeningInput } from './eventsApi.ts';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], { ja: string; en: string }> = {
  MO: { ja: '月', en: 'Mon' }, TU: { ja: '火', en: 'Tue' }, WE: { ja: '水', en: 'Wed' }, TH: { ja: '木', en: 'Thu' },
  FR: { ja: '金', en: 'Fri' }, SA: { ja: '土', en: 'Sat' }, SU: { ja: '日', en: 'Sun' },
};
const WEEKS = ['1', '2', '3', '4', '-1'] as const;

const asInput = (o: DropInOpening): DropInOpeningInput =>
  ({ freq: o.freq, byday: o.byday, opensAt: o.opensAt, closesAt: o.closesAt, validFrom: o.validFrom, validTo: o.validTo, description: o.description });

/** A drop-in place's regular opening days: every week on some weekdays, or on given weeks of the month. Residents see the next dates. */
export function OpeningDays({ programId }: { programId: string }) {
  const { t, i18n } = useTranslation();
  const [openings, reload] = useResource(`drop-in-openings-${programId}`, (signal) => eventsApi.dropInOpenings(programId, signal));
  const [freq, setFreq] = useState<'WEEKLY' | 'MONTHLY'>('WEEKLY');
  const [days, setDays] = useState<string[]>([]);
  const [weeks, setWeeks] = useState<string[]>([]);
  const [opensAt, setOpensAt] = useState('13:00');
  const [closesAt, setClosesAt] = useState('17:00');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  async function save(next: DropInOpeningInput[]) {
    setError(null);
    try {
      await eventsApi.setDropInOpenings(programId, next);
      reload();
      return true;
    } catch (err) {
      setError(errorMessage(t, err));
      return false;
    }
  }
  async function add(e: FormEvent) {
    e.preventDefault();
    if (openings.status !== 'ok') return;
    const ordered = WEEKDAYS.filter((d) => days.includes(d));
    const byday = freq === 'WEEKLY' ? ordered.join(',') : WEEKS.filter((w) => weeks.includes(w)).flatMap((w) => ordered.map((d) => `${w}${d}`)).join(',');
    if (await save([...openings.data.items.map(asInput), { freq, byday, opensAt, closesAt, description: note.trim() || null }])) {
      setDays([]);
      setWeeks([]);
      setNote('');
    }
  }
  const label = (d: (typeof WEEKDAYS)[number]) => (i18n.language === 'en' ? WEEKDAY_LABELS[d].en : WEEKDAY_LABELS[d].ja);

  return (
    <div aria-labelledby="openings-title">
      <h3 id="openings-title">{t('events.dropIn.openingsTitle')}</h3>
      {error && <p role="alert">{error}</p>}
      {openings.status === 'loading' && <Loading />}
      {openings.status === 'ok' && (openings.data.items.length === 0 ? <p>{t('events.dropIn.openingsNone')}</p> : (
        <ul data-testid="drop-in-openings">
          {openings.data.items.map((o) => (
            <li key={o.id}>
              <span lang="ja">{o.summary}{o.description ? `（${o.description}）` : ''}</span>{' '}
              <button type="button" className="button button--secondary" onClick={() => void save(openings.data.items.filter((x) => x.id !== o.id).map(asInput))}>
                {t('events.dropIn.removeOpening')}
              </button>
            </li>
          ))}
        </ul>
      ))}
      <form onSubmit={add} className="form">
        <fieldset>
          <legend>{t('events.dropIn.repeat')}</legend>
          <label><input type="radio" name="opening-freq" checked={freq === 'WEEKLY'} onChange={() => setFreq('WEEKLY')} /> {t('events.dropIn.weekly')}</label>
          <label><input type="radio" name="opening-freq" checked={freq === 'MONTHLY'} onChange={() => setFreq('MONTHLY')} /> {t('events.dropIn.monthly')}</label>
          {freq === 'MONTHLY' && (
            <div role="group" aria-label={t('events.dropIn.weeks')}>
              {WEEKS.map((w) => (
                <label key={w}><input type="checkbox" checked={weeks.includes(w)} onChange={() => toggle(weeks, setWeeks, w)} /> {w === '-1' ? t('events.dropIn.lastWeek') : `${w}`}</label>
              ))}
            </div>
          )}
          <div role="group" aria-label={t('events.dropIn.weekdays')}>
            {WEEKDAYS.map((d) => (
              <label key={d}><input type="checkbox" checked={days.includes(d)} onChange={() => toggle(days, setDays, d)} /> {label(d)}</label>
            ))}
          </div>
        </fieldset>
        <label>{t('events.dropIn.opensAt')}<input type="time" required value={opensAt} onChange={(e) => setOpensAt(e.target.value)} /></label>
        <label>{t('events.dropIn.closesAt')}<input type="time" required value={closesAt} onChange={(e) => setClosesAt(e.target.value)} /></label>
        <label>{t('events.dropIn.openingNote')}<input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} /></label>
        <button type="submit" className="button" disabled={days.length === 0 || (freq === 'MONTHLY' && weeks.length === 0)}>{t('events.dropIn.addOpening')}</button>
      </form>
    </div>
  );
}
