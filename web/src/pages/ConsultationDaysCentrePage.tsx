import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { prefectureApi } from '../prefecture/api.ts';
import { consultationDaysApi, type ConsultationDay, type DaySession, type Who } from '../prefecture/consultationDays.ts';
import { useResource } from '../useResource.ts';

const WHO: Who[] = ['self', 'family', 'both'];

/**
 * 巡回相談 for the centre: the year's plan (days in the municipalities it
 * covers, from the profile's defaults), the figures, and a day's sessions
 * with what the bookings' consent lets the centre see and each outcome.
 */
export function ConsultationDaysCentrePage() {
  const { t } = useTranslation();
  usePageTitle(t('consultationDays.centreTitle'));
  const [version, setVersion] = useState(0);
  const [list, reload] = useResource(`consultation-days:${version}`, (signal) => consultationDaysApi.list({}, signal));
  const [figures] = useResource(`consultation-days-figures:${version}`, (signal) => consultationDaysApi.figures(undefined, signal));
  const [municipalities] = useResource('prefecture-municipalities', (signal) => prefectureApi.municipalities(signal));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('consultationDays.centreTitle')}</h1></div>
      <p className="page__intro">{t('consultationDays.centreIntro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (
        <>
          {list.data.defaults && municipalities.status === 'ok' && (
            <PlanForm defaults={list.data.defaults} municipalities={municipalities.data.items} onPlanned={(d) => { setVersion((v) => v + 1); setOpenId(d.id); }} />
          )}
          <h2>{t('consultationDays.plan')}</h2>
          {list.data.items.length === 0 ? <p className="empty">{t('consultationDays.noDays')}</p> : (
            <table className="data-table" data-testid="consultation-days">
              <thead><tr><th>{t('consultationDays.date')}</th><th>{t('consultationDays.municipality')}</th><th>{t('consultationDays.sessions')}</th><th>{t('consultationDays.booked')}</th><th>{t('consultationDays.staff')}</th><th /></tr></thead>
              <tbody>
                {list.data.items.map((d) => (
                  <tr key={d.id}>
                    <td><DateText value={d.date} /> {d.startTime}〜</td>
                    <td lang="ja">{d.municipality.name}</td>
                    <td>{t('consultationDays.sessionShape', { count: d.sessionCount, minutes: d.sessionMinutes })}</td>
                    <td>{d.booked}</td>
                    <td>{d.staff.join('、')}</td>
                    <td><button type="button" className="button" onClick={() => setOpenId(d.id)}>{t('consultationDays.open')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {openId && <CentreDay id={openId} key={`${openId}:${version}`} />}
      {figures.status === 'ok' && (
        <section>
          <h2>{t('consultationDays.figures', { year: figures.data.fiscalYear })}</h2>
          <table className="data-table" data-testid="consultation-day-figures">
            <thead><tr><th>{t('consultationDays.municipality')}</th><th>{t('consultationDays.offered')}</th><th>{t('consultationDays.booked')}</th><th>{t('consultationDays.used')}</th><th>{t('consultationDays.referrals')}</th></tr></thead>
            <tbody>
              {figures.data.items.map((f) => (
                <tr key={f.municipality.id}><td lang="ja">{f.municipality.name}</td><td>{f.offered}</td><td>{f.booked}</td><td>{f.used}</td><td>{f.referrals}</td></tr>
              ))}
            </tbody>
          </table>
          <p className="doc-note">{t('consultationDays.suppressed', { below: figures.data.suppressBelow })}</p>
        </section>
      )}
    </article>
  );
}

function PlanForm({ defaults, municipalities, onPlanned }: {
  defaults: { sessionsPerDay: number; sessionMinutes: number; startTime: string };
  municipalities: { code: string; name: string }[];
  onPlanned: (d: ConsultationDay) => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState(municipalities[0]?.code ?? '');
  const [date, setDate] = useState('');
  const [startTime, setStartTime] = useState(defaults.startTime);
  const [count, setCount] = useState(defaults.sessionsPerDay);
  const [minutes, setMinutes] = useState(defaults.sessionMinutes);
  const [place, setPlace] = useState('');
  const [staff, setStaff] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      onPlanned(await consultationDaysApi.plan({
        municipalityCode: code, date, startTime, sessionCount: count, sessionMinutes: minutes, place: place || null,
        staff: staff.split(/[、,]/).map((s) => s.trim()).filter(Boolean),
      }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('consultationDays.planDay')}>
      <h2>{t('consultationDays.planDay')}</h2>
      <label>{t('consultationDays.municipality')}
        <select value={code} onChange={(e) => setCode(e.target.value)}>{municipalities.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}</select>
      </label>
      <label>{t('consultationDays.date')}<input type="date" required value={date} onChange={(e) => setDate(e.target.value)} /></label>
      <label>{t('consultationDays.startTime')}<input type="time" required value={startTime} onChange={(e) => setStartTime(e.target.value)} /></label>
      <label>{t('consultationDays.sessionCount')}<input type="number" min={1} max={20} value={count} onChange={(e) => setCount(Number(e.target.value))} /></label>
      <label>{t('consultationDays.sessionMinutes')}<input type="number" min={10} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} /></label>
      <label>{t('consultationDays.place')}<input value={place} onChange={(e) => setPlace(e.target.value)} /></label>
      <label>{t('consultationDays.staffNames')}<input value={staff} onChange={(e) => setStaff(e.target.value)} /></label>
      {error != null && <ErrorPanel error={error} />}
      <button type="submit" className="button button--primary">{t('consultationDays.planDay')}</button>
    </form>
  );
}

function CentreDay({ id }: { id: string }) {
  const { t } = useTranslation();
  const [day, reload] = useResource(`consultation-day:${id}`, (signal) => consultationDaysApi.get(id, signal));
  const [networks] = useResource('prefecture-networks', (signal) => prefectureApi.networks(undefined, signal));
  const [shown, setShown] = useState<ConsultationDay | null>(null);
  if (day.status === 'loading') return <Loading />;
  if (day.status === 'error') return <ErrorPanel error={day.error} onRetry={reload} />;
  const d = shown ?? day.data;
  // the municipality's organisations, for a referral the person agreed to
  const orgs = networks.status === 'ok'
    ? [...new Map(networks.data.municipalities.filter((m) => m.municipality.id === d.municipality.id)
      .flatMap((m) => m.parts.flatMap((p) => p.organizations)).map((o) => [o.id, o])).values()]
    : [];
  return (
    <section data-testid="consultation-day">
      <h2><span lang="ja">{d.municipality.name}</span>　<DateText value={d.date} />{d.place ? `（${d.place}）` : ''}</h2>
      <ol className="plain-list">
        {d.sessions.map((s) => (
          <li key={s.id} className="doc-record" data-testid="day-session">
            <p><strong>{s.startsAt}〜{s.endsAt}</strong>　{s.booking
              ? t('consultationDays.bookedAs', { nickname: s.booking.nickname ?? t('consultationDays.notShared'), who: s.booking.who ? t(`consultationDays.who.${s.booking.who}`) : t('consultationDays.notShared') })
              : t('consultationDays.free')}</p>
            {s.booking && (s.booking.phone || s.booking.email) && <p className="doc-note">{t('consultationDays.contact')}: {[s.booking.phone, s.booking.email].filter(Boolean).join(' / ')}</p>}
            {s.outcome ? <OutcomeText session={s} orgs={orgs} /> : <OutcomeForm session={s} orgs={orgs} onSaved={setShown} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function OutcomeText({ session, orgs }: { session: DaySession; orgs: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const o = session.outcome!;
  return (
    <p className="doc-note">
      {o.attended ? t('consultationDays.came', { who: t(`consultationDays.who.${o.came ?? 'self'}`) }) : t('consultationDays.didNotCome')}
      {o.mainConcern ? `　${t('consultationDays.mainConcern')}: ${o.mainConcern}` : ''}
      {o.referral ? `　${t('consultationDays.referredTo', { name: orgs.find((x) => x.id === o.referral!.organizationId)?.name ?? '' })}` : ''}
    </p>
  );
}

function OutcomeForm({ session, orgs, onSaved }: { session: DaySession; orgs: { id: string; name: string }[]; onSaved: (d: ConsultationDay) => void }) {
  const { t } = useTranslation();
  const [attended, setAttended] = useState(true);
  const [came, setCame] = useState<Who>(session.booking?.who ?? 'self');
  const [concern, setConcern] = useState('');
  const [orgId, setOrgId] = useState('');
  const [summary, setSummary] = useState('');
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      onSaved(await consultationDaysApi.outcome(session.id, {
        attended, came: attended ? came : null, mainConcern: concern || null,
        referral: attended && orgId ? { organizationId: orgId, summary, consent } : null,
      }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="form form--inline" onSubmit={submit} aria-label={t('consultationDays.outcome')}>
      <label className="choice"><input type="checkbox" checked={attended} onChange={(e) => setAttended(e.target.checked)} /> {t('consultationDays.attended')}</label>
      {attended && (
        <>
          <label>{t('consultationDays.whoCame')}
            <select value={came} onChange={(e) => setCame(e.target.value as Who)}>{WHO.map((w) => <option key={w} value={w}>{t(`consultationDays.who.${w}`)}</option>)}</select>
          </label>
          <label>{t('consultationDays.mainConcern')}<input value={concern} onChange={(e) => setConcern(e.target.value)} /></label>
          <label>{t('consultationDays.referral')}
            <select value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              <option value="">{t('consultationDays.noReferral')}</option>
              {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
          {orgId && (
            <>
              <label>{t('consultationDays.referralSummary')}<textarea value={summary} onChange={(e) => setSummary(e.target.value)} /></label>
              <label className="choice"><input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('consultationDays.referralConsent')}</label>
            </>
          )}
        </>
      )}
      {error != null && <ErrorPanel error={error} />}
      <button type="submit" className="button">{t('consultationDays.saveOutcome')}</button>
    </form>
  );
}
