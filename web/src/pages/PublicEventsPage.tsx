import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Loading, errorMessage } from '../components/Status.tsx';
import { solveChallenge } from '../lib/challenge.ts';
import { eventsApi, when, type PublicEvent } from '../programs/events/eventsApi.ts';
import { PublicLayout } from '../public/PublicLayout.tsx';
import { PublicLinks } from './PublicNavigatorPage.tsx';
import { useMunicipalityCode } from '../public/municipality.tsx';
import { useResource } from '../useResource.ts';

/** The server refuses a form sent within 3 s of its challenge. */
const MIN_FILL_MS = 3_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 講演会・交流会のお申し込み: no sign-in, the least data (a nickname, an email
 * or phone for reminders, optionally the municipality). The registrant keeps
 * a code to cancel with.
 */
export function PublicEventsPage() {
  const { t } = useTranslation();
  const code = useMunicipalityCode();
  const [events] = useResource(`public-events-${code ?? ''}`, (signal) => eventsApi.publicEvents(code, signal));
  const [chosen, setChosen] = useState<PublicEvent | null>(null);
  const municipality = events.status === 'ok' ? events.data.municipality.name : null;
  return (
    <PublicLayout municipality={municipality} title={t('events.public.title')}>
      <h1>{t('events.public.title')}</h1>
      {events.status === 'loading' && <Loading />}
      {events.status === 'error' && <p role="alert">{errorMessage(t, events.error)}</p>}
      {events.status === 'ok' && events.data.items.length === 0 && <p>{t('events.public.none')}</p>}
      {events.status === 'ok' && (
        <ul className="event-list">
          {events.data.items.map((e) => (
            <li key={e.id} className="card">
              <h2>{e.title}</h2>
              <p>{t(`events.kinds.${e.kind}`)}・{when(e.startsAt)}〜{when(e.endsAt)}</p>
              <p>{e.online ? t('events.public.online') : ''}{e.place ?? ''}</p>
              {e.description && <p>{e.description}</p>}
              {e.organizers.length > 0 && <p>{t('events.public.organizers')}: {[...e.organizers, ...e.coMunicipalities].join('、')}</p>}
              {e.capacity !== null && <p>{t('events.public.capacity', { n: e.capacity })}</p>}
              {e.registrationOpen && (
                <button type="button" className="button" onClick={() => setChosen(e)}>{t('events.public.register')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {chosen && <RegistrationForm key={chosen.id} event={chosen} code={code} />}
      <CancelForm events={events.status === 'ok' ? events.data.items : []} code={code} />
      <PublicLinks code={code} here="events" />
    </PublicLayout>
  );
}

function RegistrationForm({ event, code }: { event: PublicEvent; code: string | null }) {
  const { t } = useTranslation();
  const [nickname, setNickname] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [from, setFrom] = useState('');
  const [website, setWebsite] = useState('');
  const [full, setFull] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ cancelCode: string; status: 'registered' | 'waiting'; position: number | null } | null>(null);
  async function submit(e: FormEvent, waitingList = false) {
    e.preventDefault();
    setError(null);
    if (!nickname.trim()) return setError(t('events.public.errors.nickname'));
    if (!email.trim() && !phone.trim()) return setError(t('events.public.errors.contact'));
    setBusy(true);
    try {
      const started = Date.now();
      const challenge = await eventsApi.challenge(code);
      const solution = await solveChallenge(challenge.token, challenge.difficulty);
      const wait = started + MIN_FILL_MS - Date.now();
      if (wait > 0) await sleep(wait);
      setResult(await eventsApi.register(event.id, {
        ...(code ? { municipality: code } : {}), nickname: nickname.trim(), email: email.trim() || null, phone: phone.trim() || null,
        fromMunicipality: from.trim() || null, waitingList, website, challenge: challenge.token, solution,
      }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setFull(true);
      else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }
  if (result)
    return (
      <section role="status" aria-labelledby="registered-title">
        <h2 id="registered-title">{result.status === 'registered' ? t('events.public.done') : t('events.public.waitingDone', { n: result.position ?? 1 })}</h2>
        <p>{t('events.public.keepCode')}</p>
        <p className="receipt-code" data-testid="cancel-code">{result.cancelCode}</p>
      </section>
    );
  return (
    <form onSubmit={(e) => submit(e)} className="form" aria-labelledby="register-title">
      <h2 id="register-title">{t('events.public.registerFor', { title: event.title })}</h2>
      <p>{t('events.public.leastData')}</p>
      {error && <p role="alert">{error}</p>}
      <label>{t('events.public.nickname')}<input name="nickname" required maxLength={50} value={nickname} onChange={(e) => setNickname(e.target.value)} /></label>
      <label>{t('events.public.email')}<input name="email" type="email" maxLength={200} value={email} onChange={(e) => setEmail(e.target.value)} /></label>
      <label>{t('events.public.phone')}<input name="phone" type="tel" maxLength={30} value={phone} onChange={(e) => setPhone(e.target.value)} /></label>
      <label>{t('events.public.from')}<input name="fromMunicipality" maxLength={100} value={from} onChange={(e) => setFrom(e.target.value)} /></label>
      <div hidden aria-hidden="true"><label>website<input tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} /></label></div>
      {full ? (
        <>
          <p role="alert">{t('events.public.full')}</p>
          <button type="button" className="button" disabled={busy} onClick={(e) => submit(e as unknown as FormEvent, true)}>{t('events.public.joinWaiting')}</button>
        </>
      ) : (
        <button type="submit" className="button" disabled={busy}>{busy ? t('events.public.sending') : t('events.public.send')}</button>
      )}
    </form>
  );
}

function CancelForm({ events, code }: { events: PublicEvent[]; code: string | null }) {
  const { t } = useTranslation();
  // the cancel link in a reminder opens the page with the event and the code filled in
  const [params] = useSearchParams();
  const [eventId, setEventId] = useState(() => params.get('event') ?? '');
  const [cancelCode, setCancelCode] = useState(() => params.get('cancel') ?? '');
  const [message, setMessage] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await eventsApi.cancel(eventId || events[0]?.id || '', code, cancelCode.trim());
      setMessage(t('events.public.cancelled'));
    } catch (err) {
      setMessage(err instanceof ApiError && err.status === 404 ? t('events.public.unknownCode') : errorMessage(t, err));
    }
  }
  if (events.length === 0) return null;
  return (
    <form onSubmit={submit} className="form" aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t('events.public.cancelTitle')}</h2>
      {message && <p role="status">{message}</p>}
      <label>{t('events.public.event')}
        <select value={eventId} onChange={(e) => setEventId(e.target.value)}>
          {events.map((e) => <option key={e.id} value={e.id}>{e.title}</option>)}
        </select>
      </label>
      <label>{t('events.public.code')}<input name="cancelCode" required pattern="[0-9A-Za-z]{4}-[0-9A-Za-z]{4}" value={cancelCode} onChange={(e) => setCancelCode(e.target.value)} /></label>
      <button type="submit" className="button button--secondary">{t('events.public.cancel')}</button>
    </form>
  );
}
