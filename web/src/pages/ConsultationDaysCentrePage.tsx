import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
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
  // the municipalities of this fiscal year's days, against the profile's plan
  const planned = new Set(list.status === 'ok' ? list.data.items.map((d) => d.municipality.code) : []);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('consultationDays.centreTitle')}</h1></div>
      <p className="page__intro">{t('consultationDays.centreIntro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (
        <>
          {list.data.defaults && municipalities.status === 'ok' && (
            <PlanForm defaults={list.data.defaults} municipalities={municipalities.data.items} planned={planned}
              onPlanned={(d) => { setVersion((v) => v + 1); setOpenId(d.id); }} />
          )}
          <h2>{t('consultationDays.plan')}</h2>
          {list.data.defaults?.municipalitiesPerYear != null && (
            <p className={planned.size > list.data.defaults.municipalitiesPerYear ? 'notice notice--limited' : 'doc-note'} data-testid="year-plan">
              {t('consultationDays.yearPlan', { planned: planned.size, plan: list.data.defaults.municipalitiesPerYear })}
              {planned.size > list.data.defaults.municipalitiesPerYear && <>　{t('consultationDays.overPlan', { plan: list.data.defaults.municipalitiesPerYear })}</>}
            </p>
          )}
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
      {openId && <CentreDay id={openId} key={`${openId}:${version}`} onChanged={() => setVersion((v) => v + 1)} onDeleted={() => { setOpenId(null); setVersion((v) => v + 1); }} />}
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

function PlanForm({ defaults, municipalities, planned, onPlanned }: {
  defaults: { sessionsPerDay: number; sessionMinutes: number; startTime: string; municipalitiesPerYear: number | null };
  municipalities: { code: string; name: string }[];
  planned: Set<string>;
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
  const [confirmMore, setConfirmMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // another municipality than this year's would go beyond the profile's plan: a warning the centre confirms
  // (the server decides for the date's own fiscal year and says so in the field confirmMoreMunicipalities)
  const plan = defaults.municipalitiesPerYear;
  const serverAsks = error instanceof ApiError && error.fields.some((f) => f.field === 'confirmMoreMunicipalities');
  const overPlan = serverAsks || (plan != null && !planned.has(code) && planned.size + 1 > plan);
  // more days in one municipality than the plan: only the server counts them, and says so in confirmMoreDays
  const [confirmDays, setConfirmDays] = useState(false);
  const daysAsked = error instanceof ApiError ? error.fields.find((f) => f.field === 'confirmMoreDays') : undefined;
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      onPlanned(await consultationDaysApi.plan({
        municipalityCode: code, date, startTime, sessionCount: count, sessionMinutes: minutes, place: place || null,
        staff: staff.split(/[、,]/).map((s) => s.trim()).filter(Boolean), ...(overPlan && confirmMore ? { confirmMoreMunicipalities: true } : {}),
        ...(daysAsked && confirmDays ? { confirmMoreDays: true } : {}),
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
      {overPlan && (
        <div className="notice notice--limited" role="status" data-testid="over-plan">
          <p>{t('consultationDays.overPlanWarning', { plan: plan ?? '', count: planned.size + 1 })}</p>
          <label className="choice"><input type="checkbox" checked={confirmMore} onChange={(e) => setConfirmMore(e.target.checked)} /> {t('consultationDays.confirmMore')}</label>
        </div>
      )}
      {daysAsked && (
        <div className="notice notice--limited" role="status" data-testid="over-days">
          <p>{daysAsked.message}</p>
          <label className="choice"><input type="checkbox" checked={confirmDays} onChange={(e) => setConfirmDays(e.target.checked)} /> {t('consultationDays.confirmMoreDays')}</label>
        </div>
      )}
      {error != null && !(serverAsks && !confirmMore) && !(daysAsked && !confirmDays) && <ErrorPanel error={error} />}
      <button type="submit" className="button button--primary" disabled={(overPlan && !confirmMore) || (daysAsked !== undefined && !confirmDays)}>{t('consultationDays.planDay')}</button>
    </form>
  );
}

function CentreDay({ id, onChanged, onDeleted }: { id: string; onChanged: () => void; onDeleted: () => void }) {
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
      <ReplanForm day={d} onReplanned={(x) => { setShown(x); onChanged(); }} onDeleted={onDeleted} />
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

/** Re-plan the day (its bookings follow; the windows that booked are told), or delete it while nobody is booked. */
function ReplanForm({ day, onReplanned, onDeleted }: { day: ConsultationDay; onReplanned: (d: ConsultationDay) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(day.date);
  const [startTime, setStartTime] = useState(day.startTime);
  const [count, setCount] = useState(day.sessionCount);
  const [minutes, setMinutes] = useState(day.sessionMinutes);
  const [place, setPlace] = useState(day.place ?? '');
  const [error, setError] = useState<unknown>(null);
  const booked = day.sessions.filter((s) => s.booking).length;
  const remove = async () => {
    setError(null);
    try {
      await consultationDaysApi.remove(day.id);
      onDeleted();
    } catch (e) {
      setError(e);
    }
  };
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      onReplanned(await consultationDaysApi.replan(day.id, { date, startTime, sessionCount: count, sessionMinutes: minutes, place: place || null }));
      setOpen(false);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="form form--inline">
      {!open && <button type="button" className="button" onClick={() => setOpen(true)}>{t('consultationDays.replan')}</button>}
      {booked === 0 && !open && <button type="button" className="button" onClick={remove}>{t('consultationDays.deleteDay')}</button>}
      {booked > 0 && !open && <p className="doc-note">{t('consultationDays.deleteHint', { count: booked })}</p>}
      {open && (
        <form className="form" onSubmit={submit} aria-label={t('consultationDays.replan')}>
          <p className="doc-note">{t('consultationDays.replanHint')}</p>
          <label>{t('consultationDays.date')}<input type="date" required value={date} onChange={(e) => setDate(e.target.value)} /></label>
          <label>{t('consultationDays.startTime')}<input type="time" required value={startTime} onChange={(e) => setStartTime(e.target.value)} /></label>
          <label>{t('consultationDays.sessionCount')}<input type="number" min={Math.max(1, booked)} max={20} value={count} onChange={(e) => setCount(Number(e.target.value))} /></label>
          <label>{t('consultationDays.sessionMinutes')}<input type="number" min={10} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} /></label>
          <label>{t('consultationDays.place')}<input value={place} onChange={(e) => setPlace(e.target.value)} /></label>
          <button type="submit" className="button button--primary">{t('consultationDays.saveReplan')}</button>
          <button type="button" className="button" onClick={() => setOpen(false)}>{t('consultationDays.close')}</button>
        </form>
      )}
      {error != null && <ErrorPanel error={error} />}
    </div>
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
