import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { consultationDaysApi, type ConsentField, type ConsultationDay, type DayBooking, type DaySession, type Who } from '../prefecture/consultationDays.ts';
import { useResource } from '../useResource.ts';

const WHO: Who[] = ['self', 'family', 'both'];
const CONSENT: ConsentField[] = ['nickname', 'who', 'contact'];

/** A refusal said with the server's own words when another window took the session first (その枠はすでに予約されています…). */
function BookingError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 409) return <div className="error-panel" role="alert" data-testid="booking-conflict"><p>{error.message}</p></div>;
  return <ErrorPanel error={error} />;
}

/**
 * 巡回相談 for the municipality's window: the centre's days in this
 * municipality, each session free or booked; book a session for a resident
 * (a nickname is enough), move or cancel a booking.
 */
export function ConsultationDaysWindowPage() {
  const { t } = useTranslation();
  usePageTitle(t('consultationDays.windowTitle'));
  const [list, reload] = useResource('consultation-days-window', (signal) => consultationDaysApi.list({}, signal));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('consultationDays.windowTitle')}</h1></div>
      <p className="page__intro">{t('consultationDays.windowIntro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('consultationDays.noDays')}</p> : (
        <ul className="plain-list" data-testid="consultation-days">
          {list.data.items.map((d) => (
            <li key={d.id}>
              <button type="button" className="button" aria-pressed={openId === d.id} onClick={() => setOpenId(d.id)}>
                <DateText value={d.date} /> {d.startTime}〜　{t('consultationDays.bookedOf', { booked: d.booked, count: d.sessionCount })}
              </button>
            </li>
          ))}
        </ul>
      ))}
      {openId && <WindowDay id={openId} key={openId} />}
    </article>
  );
}

function WindowDay({ id }: { id: string }) {
  const { t } = useTranslation();
  const [day, reload] = useResource(`consultation-day-window:${id}`, (signal) => consultationDaysApi.get(id, signal));
  const [shown, setShown] = useState<ConsultationDay | null>(null);
  if (day.status === 'loading') return <Loading />;
  if (day.status === 'error') return <ErrorPanel error={day.error} onRetry={reload} />;
  const d = shown ?? day.data;
  const free = d.sessions.filter((s) => !s.booking);
  return (
    <section data-testid="consultation-day">
      <h2><DateText value={d.date} />{d.place ? `（${d.place}）` : ''}</h2>
      <ol className="plain-list">
        {d.sessions.map((s) => (
          <li key={s.id} className="doc-record" data-testid="day-session" data-state={s.booking ? 'booked' : 'free'}>
            <p><strong>{s.startsAt}〜{s.endsAt}</strong>　{s.booking ? t('consultationDays.bookedAs', { nickname: s.booking.nickname, who: s.booking.who ? t(`consultationDays.who.${s.booking.who}`) : '' }) : t('consultationDays.free')}</p>
            {s.booking
              ? <BookedActions session={s} free={free} onChanged={setShown} />
              : <BookForm session={s} onBooked={setShown} onStale={reload} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function BookForm({ session, onBooked, onStale }: { session: DaySession; onBooked: (d: ConsultationDay) => void; onStale: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [who, setWho] = useState<Who>('self');
  const [nickname, setNickname] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [consent, setConsent] = useState<ConsentField[]>(['nickname', 'who']);
  const [error, setError] = useState<unknown>(null);
  if (!open) return <button type="button" className="button" onClick={() => setOpen(true)}>{t('consultationDays.book')}</button>;
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      onBooked(await consultationDaysApi.book({ sessionId: session.id, who, nickname, phone: phone || null, email: email || null, consentScope: consent }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('consultationDays.book')}>
      <label>{t('consultationDays.whoComes')}
        <select value={who} onChange={(e) => setWho(e.target.value as Who)}>{WHO.map((w) => <option key={w} value={w}>{t(`consultationDays.who.${w}`)}</option>)}</select>
      </label>
      <label>{t('consultationDays.nickname')}<input required value={nickname} onChange={(e) => setNickname(e.target.value)} /></label>
      <label>{t('consultationDays.phone')}<input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} /></label>
      <label>{t('consultationDays.email')}<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
      <p className="doc-note">{t('consultationDays.reminderHint')}</p>
      <fieldset>
        <legend>{t('consultationDays.consent')}</legend>
        {CONSENT.map((c) => (
          <label key={c} className="choice">
            <input type="checkbox" checked={consent.includes(c)} onChange={(e) => setConsent((xs) => (e.target.checked ? [...xs, c] : xs.filter((x) => x !== c)))} /> {t(`consultationDays.consentField.${c}`)}
          </label>
        ))}
      </fieldset>
      {error != null && <BookingError error={error} />}
      {error instanceof ApiError && error.status === 409 && <button type="button" className="button" onClick={onStale}>{t('consultationDays.refresh')}</button>}
      <button type="submit" className="button button--primary">{t('consultationDays.book')}</button>
    </form>
  );
}

const reminderKey = (r: NonNullable<DayBooking['reminder']>) =>
  r.channel === 'phone' ? 'phone' : r.state === 'sent' ? 'emailSent' : r.state === 'failed' ? 'emailFailed' : 'emailQueued';

function BookedActions({ session, free, onChanged }: { session: DaySession; free: DaySession[]; onChanged: (d: ConsultationDay) => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async (f: () => Promise<ConsultationDay>) => {
    setError(null);
    try {
      onChanged(await f());
    } catch (e) {
      setError(e);
    }
  };
  const b = session.booking!;
  return (
    <div className="form form--inline">
      {(b.phone || b.email) && <p className="doc-note">{t('consultationDays.contact')}: {[b.phone, b.email].filter(Boolean).join(' / ')}</p>}
      {b.reminder && <p className="doc-note" data-testid="booking-reminder" data-state={`${b.reminder.channel}-${b.reminder.state}`}>{t(`consultationDays.reminder.${reminderKey(b.reminder)}`)}</p>}
      <label>{t('consultationDays.moveTo')}
        <select value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">—</option>
          {free.map((s) => <option key={s.id} value={s.id}>{s.startsAt}〜{s.endsAt}</option>)}
        </select>
      </label>
      <button type="button" className="button" disabled={!to} onClick={() => run(() => consultationDaysApi.move(b.id, to))}>{t('consultationDays.move')}</button>
      <button type="button" className="button" onClick={() => run(() => consultationDaysApi.cancel(b.id))}>{t('consultationDays.cancel')}</button>
      {error != null && <BookingError error={error} />}
    </div>
  );
}
