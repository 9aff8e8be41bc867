import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager, useCursorParam } from '../components/Pager.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { DropInLog } from '../programs/events/DropInLog.tsx';
import { EVENT_KINDS, eventsApi, when, type Count, type EventKind, type StaffEvent } from '../programs/events/eventsApi.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

/** 講演会・研修・交流会・UX女子会: events with registration counts (pulled from the public side) and attendance without names. */
export function EventsPage() {
  const { t } = useTranslation();
  const { cursor, link } = useCursorParam();
  const [events, reload] = useResource(`events:${cursor ?? ''}`, (signal) => eventsApi.list(cursor, signal));
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <h1>{t('events.title')}</h1>
      <p>{t('events.lead')}</p>
      <NewEventForm onCreated={reload} />
      <h2>{t('events.list')}</h2>
      {events.status === 'loading' && <Loading />}
      {events.status === 'error' && <ErrorPanel error={events.error} onRetry={reload} />}
      {events.status === 'ok' && (
        <>
          {events.data.items.length === 0 && <p>{t('events.none')}</p>}
          <table className="table" data-testid="events-table">
            <thead>
              <tr>
                <th scope="col">{t('events.fields.title')}</th><th scope="col">{t('events.fields.kind')}</th><th scope="col">{t('events.fields.startsAt')}</th>
                <th scope="col">{t('events.fields.capacity')}</th><th scope="col">{t('events.registered')}</th><th scope="col">{t('events.waiting')}</th><th scope="col" />
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((e) => (
                <tr key={e.id} data-event-id={e.id}>
                  <td>{e.title}{e.published ? '' : ` ${t('events.unpublished')}`}</td>
                  <td>{t(`events.kinds.${e.kind}`)}</td>
                  <td>{when(e.startsAt)}</td>
                  <td>{e.capacity ?? '—'}</td>
                  <td data-testid="registered">{e.registered}</td>
                  <td>{e.waiting}</td>
                  <td><button type="button" className="button button--secondary" onClick={() => setOpen(open === e.id ? null : e.id)}>{t('events.attendance')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursor={cursor} nextCursor={events.data.nextCursor} link={link} label={t('events.pages')} />
          {events.data.items.filter((e) => e.id === open).map((e) => <Attendance key={e.id} event={e} />)}
          {events.data.coOrganised.length > 0 && (
            <>
              <h2>{t('events.coOrganised')}</h2>
              <ul>
                {events.data.coOrganised.map((c) => (
                  <li key={c.id}>
                    {c.title}（{c.organizer}・{when(c.startsAt)}）: {c.registeredByMunicipality.map((r) => `${r.municipality || t('events.unknownMunicipality')} ${r.registered}`).join('、') || '—'}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <DropInLog />
    </div>
  );
}

function NewEventForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const { network } = useNetwork();
  const [kind, setKind] = useState<EventKind>('public_lecture');
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [place, setPlace] = useState('');
  const [online, setOnline] = useState(false);
  const [capacity, setCapacity] = useState('');
  const [organizer, setOrganizer] = useState(session.organization.id);
  const [coMunicipalities, setCo] = useState('');
  const [published, setPublished] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const toIso = (local: string) => new Date(`${local}:00+09:00`).toISOString();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await eventsApi.create({
        kind, title, startsAt: toIso(startsAt), endsAt: toIso(endsAt), place: place || null, online, capacity: capacity ? Number(capacity) : null,
        organizerOrgIds: [organizer], published,
        coMunicipalities: coMunicipalities.split(/[、,]/).map((s) => s.trim()).filter(Boolean).map((name) => ({ municipalityId: null, name })),
      });
      setDone(true);
      setTitle('');
      onCreated();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }
  return (
    <form onSubmit={submit} className="form" aria-labelledby="new-event">
      <h2 id="new-event">{t('events.new')}</h2>
      {error && <p role="alert">{error}</p>}
      {done && <p role="status">{t('events.created')}</p>}
      <label>{t('events.fields.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as EventKind)}>
          {EVENT_KINDS.map((k) => <option key={k} value={k}>{t(`events.kinds.${k}`)}</option>)}
        </select>
      </label>
      <label>{t('events.fields.title')}<input name="title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} /></label>
      <label>{t('events.fields.startsAt')}<input name="startsAt" type="datetime-local" required value={startsAt} onChange={(e) => setStartsAt(e.target.value)} /></label>
      <label>{t('events.fields.endsAt')}<input name="endsAt" type="datetime-local" required value={endsAt} onChange={(e) => setEndsAt(e.target.value)} /></label>
      <label>{t('events.fields.place')}<input name="place" maxLength={300} value={place} onChange={(e) => setPlace(e.target.value)} /></label>
      <label><input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} /> {t('events.fields.online')}</label>
      <label>{t('events.fields.capacity')}<input name="capacity" type="number" min={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} /></label>
      <label>{t('events.fields.organizer')}
        <select value={organizer} onChange={(e) => setOrganizer(e.target.value)}>
          {network.organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </label>
      <label>{t('events.fields.coMunicipalities')}<input name="coMunicipalities" value={coMunicipalities} onChange={(e) => setCo(e.target.value)} /></label>
      <label><input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} /> {t('events.fields.published')}</label>
      <button type="submit" className="button">{t('events.create')}</button>
    </form>
  );
}

const shown = (c: Count) => String(c);

function Attendance({ event }: { event: StaffEvent }) {
  const { t } = useTranslation();
  const [figures, reload] = useResource(`attendance-${event.id}`, (signal) => eventsApi.attendance(event.id, signal));
  const [sessionOn, setSessionOn] = useState(event.startsAt.slice(0, 10));
  const [rows, setRows] = useState([{ fromMunicipality: '', came: '', firstTimers: '' }]);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await eventsApi.recordAttendance(event.id, sessionOn, rows.filter((r) => r.fromMunicipality.trim()).map((r) => ({
        fromMunicipality: r.fromMunicipality.trim(), came: Number(r.came || 0), firstTimers: Number(r.firstTimers || 0),
      })));
      reload();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }
  const setRow = (i: number, key: 'fromMunicipality' | 'came' | 'firstTimers', value: string) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  return (
    <section aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t('events.attendanceOf', { title: event.title })}</h2>
      <form onSubmit={submit} className="form">
        {error && <p role="alert">{error}</p>}
        <label>{t('events.sessionOn')}<input name="sessionOn" type="date" required value={sessionOn} onChange={(e) => setSessionOn(e.target.value)} /></label>
        {rows.map((r, i) => (
          <fieldset key={i} data-testid="attendance-row">
            <legend>{t('events.row', { n: i + 1 })}</legend>
            <label>{t('events.fromMunicipality')}<input name={`from-${i}`} value={r.fromMunicipality} onChange={(e) => setRow(i, 'fromMunicipality', e.target.value)} /></label>
            <label>{t('events.came')}<input name={`came-${i}`} type="number" min={0} value={r.came} onChange={(e) => setRow(i, 'came', e.target.value)} /></label>
            <label>{t('events.firstTimers')}<input name={`first-${i}`} type="number" min={0} value={r.firstTimers} onChange={(e) => setRow(i, 'firstTimers', e.target.value)} /></label>
          </fieldset>
        ))}
        <button type="button" className="button button--secondary" onClick={() => setRows((rs) => [...rs, { fromMunicipality: '', came: '', firstTimers: '' }])}>{t('events.addRow')}</button>
        <button type="submit" className="button">{t('events.saveAttendance')}</button>
      </form>
      {figures.status === 'ok' && (
        <table className="table" data-testid="attendance-figures">
          <caption>
            {t('events.figuresCaption', { n: figures.data.suppressBelow })}
            {figures.data.secondarySuppression && <>{' '}{t('stats.secondary')}</>}
          </caption>
          <thead><tr><th scope="col">{t('events.fromMunicipality')}</th><th scope="col">{t('events.came')}</th><th scope="col">{t('events.firstTimers')}</th></tr></thead>
          <tbody>
            {figures.data.byMunicipality.map((m) => (
              <tr key={m.municipality}><th scope="row">{m.municipality}</th><td>{shown(m.came)}</td><td>{shown(m.firstTimers)}</td></tr>
            ))}
            <tr><th scope="row">{t('events.total')}</th><td>{shown(figures.data.total.came)}</td><td>{shown(figures.data.total.firstTimers)}</td></tr>
          </tbody>
        </table>
      )}
    </section>
  );
}
