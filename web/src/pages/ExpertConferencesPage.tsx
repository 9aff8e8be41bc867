import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { expertApi } from '../prefecture/experts.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

/**
 * 多職種専門チームの会議: the centre schedules conferences and seats one
 * member in each of the profile's seats; members see the conferences they
 * sit on. Submissions are opened from here (case codes only).
 */
export function ExpertConferencesPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  usePageTitle(t('experts.conferences.title'));
  const centre = role === 'prefecture_staff';
  const [list, reload] = useResource('expert-conferences', (signal) => expertApi.conferences(signal));
  const [members] = useResource(`expert-members:${centre}`, (signal) => (centre ? expertApi.members(signal) : Promise.resolve({ items: [], seats: [] })));
  const [heldOn, setHeldOn] = useState('');
  const [title, setTitle] = useState('');
  const [seats, setSeats] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const schedule = async () => {
    setError(null);
    try {
      await expertApi.schedule({ heldOn, title, seats: Object.entries(seats).filter(([, u]) => u).map(([seat, userId]) => ({ seat, userId })) });
      setHeldOn('');
      setTitle('');
      setSeats({});
      reload();
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      else throw err;
    }
  };
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('experts.conferences.title')}</h1></div>
      <p className="page__intro">{t(centre ? 'experts.conferences.introCentre' : 'experts.conferences.introMember')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('experts.conferences.empty')}</p> : (
        <ul className="plain-list" data-testid="expert-conferences">
          {list.data.items.map((c) => (
            <li key={c.id} className="doc-record">
              <Link to={`/prefecture/expert-submissions?conference=${encodeURIComponent(c.id)}`}>{c.heldOnJa} {c.title}</Link>
              {'　'}{t('experts.conferences.submissions', { count: c.submissions })}
            </li>
          ))}
        </ul>
      ))}
      {centre && (
        <section className="section" aria-labelledby="expert-schedule-heading">
          <h2 id="expert-schedule-heading">{t('experts.conferences.schedule')}</h2>
          <form className="form" onSubmit={(ev) => { ev.preventDefault(); void schedule(); }}>
            <label>{t('experts.conferences.heldOn')}<input type="date" required value={heldOn} onChange={(ev) => setHeldOn(ev.target.value)} /></label>
            <label>{t('experts.conferences.name')}<input required value={title} onChange={(ev) => setTitle(ev.target.value)} /></label>
            {members.status === 'ok' && members.data.seats.map(({ id: seat, name }) => (
              <label key={seat}>
                <span lang="ja">{name}</span>
                <select value={seats[seat] ?? ''} onChange={(ev) => setSeats((s) => ({ ...s, [seat]: ev.target.value }))}>
                  <option value="">{t('experts.conferences.noMember')}</option>
                  {members.data.items.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
                </select>
              </label>
            ))}
            {error && <ErrorPanel error={error} />}
            <p><button type="submit" className="button">{t('experts.conferences.scheduleButton')}</button></p>
          </form>
        </section>
      )}
    </article>
  );
}
