import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { MeetingError, MeetingState, MeetingWhen, RegisterForm } from '../prefecture/SupporterMeetingParts.tsx';
import { MEETING_KINDS, supporterMeetingsApi, type Invitee, type MeetingBody, type MeetingKind, type SupporterMeeting } from '../prefecture/supporterMeetings.ts';
import { useResource } from '../useResource.ts';

/**
 * 支援者交流会・研修 for the centre: plan a meeting and invite the
 * municipalities it covers and its partner groups; a meeting's invitees with
 * their registrations and attendance; partner groups' registrations taken by
 * phone, attendance and walk-ins after the day; changes and cancellation;
 * the year's figures per municipality.
 */
export function SupporterMeetingsCentrePage() {
  const { t } = useTranslation();
  usePageTitle(t('supporterMeetings.centreTitle'));
  const [version, setVersion] = useState(0);
  const [list, reload] = useResource(`supporter-meetings-centre:${version}`, (signal) => supporterMeetingsApi.list({}, signal));
  const [invitable] = useResource('supporter-meeting-invitees', (signal) => supporterMeetingsApi.invitees(signal));
  const [openId, setOpenId] = useState<string | null>(null);
  const bump = () => setVersion((v) => v + 1);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('supporterMeetings.centreTitle')}</h1></div>
      <p className="page__intro">{t('supporterMeetings.centreIntro')}</p>
      {invitable.status === 'ok' && <MeetingForm invitable={invitable.data} onSaved={(m) => { bump(); setOpenId(m.id); }} />}
      <h2>{t('supporterMeetings.thisYear')}</h2>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('supporterMeetings.none')}</p> : (
        <table className="data-table" data-testid="supporter-meetings">
          <caption className="visually-hidden">{t('supporterMeetings.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('supporterMeetings.when')}</th><th scope="col">{t('supporterMeetings.kindLabel')}</th><th scope="col">{t('supporterMeetings.meetingTitle')}</th>
              <th scope="col">{t('supporterMeetings.registered')}</th><th scope="col">{t('supporterMeetings.stateLabel')}</th><th scope="col"><span className="visually-hidden">{t('supporterMeetings.open')}</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((m) => (
              <tr key={m.id} data-testid="supporter-meeting-row">
                <td><MeetingWhen m={m} /></td>
                <td>{t(`supporterMeetings.kind.${m.kind}`)}</td>
                <td lang="ja">{m.title}</td>
                <td>{m.registered} / {m.capacity}</td>
                <td><MeetingState m={m} /></td>
                <td><button type="button" className="button" aria-pressed={openId === m.id} onClick={() => setOpenId(m.id)}>{t('supporterMeetings.open')}<span className="visually-hidden">: {m.title}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {openId && invitable.status === 'ok' && <CentreMeeting id={openId} key={`${openId}:${version}`} invitable={invitable.data} onChanged={bump} />}
      <Figures key={`figures:${version}`} />
    </article>
  );
}

type Invitable = { municipalities: Invitee[]; partners: Invitee[] };

/** The form of a new meeting, or of changes to one (with its version). */
function MeetingForm({ invitable, meeting, onSaved }: { invitable: Invitable; meeting?: SupporterMeeting; onSaved: (m: SupporterMeeting) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<MeetingKind>(meeting?.kind ?? 'exchange');
  const [title, setTitle] = useState(meeting?.title ?? '');
  const [date, setDate] = useState(meeting?.date ?? '');
  const [startTime, setStartTime] = useState(meeting?.startTime ?? '14:00');
  const [endTime, setEndTime] = useState(meeting?.endTime ?? '');
  const [place, setPlace] = useState(meeting?.place ?? '');
  const [online, setOnline] = useState(meeting?.online ?? false);
  const [capacity, setCapacity] = useState(meeting?.capacity ?? 30);
  const [deadline, setDeadline] = useState(meeting?.registrationDeadline ?? '');
  const [description, setDescription] = useState(meeting?.description ?? '');
  const [all, setAll] = useState(meeting?.allMunicipalities ?? true);
  const invited = new Set(meeting?.invitees.map((i) => i.id) ?? []);
  const [codes, setCodes] = useState<string[]>(invitable.municipalities.filter((m) => invited.has(m.id)).map((m) => m.code!));
  const [partners, setPartners] = useState<string[]>(invitable.partners.filter((p) => invited.has(p.id)).map((p) => p.id));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const label = meeting ? t('supporterMeetings.saveChanges') : t('supporterMeetings.create');
  const toggle = (xs: string[], x: string, on: boolean) => (on ? [...xs, x] : xs.filter((y) => y !== x));
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (saving) return;
    setError(null);
    setSaving(true);
    const body: MeetingBody = {
      kind, title, date, startTime, endTime: endTime || null, place: place || null, online, capacity, registrationDeadline: deadline,
      description: description || null, allMunicipalities: all, municipalityCodes: all ? [] : codes, partnerIds: partners,
    };
    try {
      onSaved(meeting ? await supporterMeetingsApi.update(meeting.id, { ...body, version: meeting.version }) : await supporterMeetingsApi.create(body));
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  const idp = meeting ? `edit-${meeting.id}` : 'new';
  return (
    <form className="form" onSubmit={submit} aria-label={label} data-testid={meeting ? 'meeting-edit-form' : 'meeting-form'}>
      <h2>{label}</h2>
      <label>{t('supporterMeetings.kindLabel')}
        <select value={kind} onChange={(e) => setKind(e.target.value as MeetingKind)}>{MEETING_KINDS.map((k) => <option key={k} value={k}>{t(`supporterMeetings.kind.${k}`)}</option>)}</select>
      </label>
      <label>{t('supporterMeetings.meetingTitle')}<input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} /></label>
      <label>{t('supporterMeetings.date')}<input type="date" required value={date} onChange={(e) => setDate(e.target.value)} /></label>
      <label>{t('supporterMeetings.startTime')}<input type="time" required value={startTime} onChange={(e) => setStartTime(e.target.value)} /></label>
      <label>{t('supporterMeetings.endTime')}<input type="time" value={endTime} onChange={(e) => setEndTime(e.target.value)} /></label>
      <label>{t('supporterMeetings.place')}<input maxLength={200} value={place} onChange={(e) => setPlace(e.target.value)} /></label>
      <label className="choice"><input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} /> {t('supporterMeetings.online')}</label>
      <label>{t('supporterMeetings.capacity')}<input type="number" required min={1} max={1000} value={capacity} onChange={(e) => setCapacity(Number(e.target.value))} /></label>
      <label>{t('supporterMeetings.deadline')}<input type="date" required value={deadline} onChange={(e) => setDeadline(e.target.value)} /></label>
      <label>{t('supporterMeetings.description')}<textarea maxLength={4000} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <fieldset className="field">
        <legend>{t('supporterMeetings.invitedMunicipalities')}</legend>
        <label className="choice"><input type="radio" name={`${idp}-all`} checked={all} onChange={() => setAll(true)} /> {t('supporterMeetings.allCovered')}</label>
        <label className="choice"><input type="radio" name={`${idp}-all`} checked={!all} onChange={() => setAll(false)} /> {t('supporterMeetings.chosen')}</label>
        {!all && invitable.municipalities.map((m) => (
          <label key={m.id} className="choice"><input type="checkbox" checked={codes.includes(m.code!)} onChange={(e) => setCodes((xs) => toggle(xs, m.code!, e.target.checked))} /> {m.name}</label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>{t('supporterMeetings.invitedPartners')}</legend>
        {invitable.partners.length === 0 ? <p className="empty">{t('supporterMeetings.noPartners')}</p> : invitable.partners.map((p) => (
          <label key={p.id} className="choice"><input type="checkbox" checked={partners.includes(p.id)} onChange={(e) => setPartners((xs) => toggle(xs, p.id, e.target.checked))} /> {p.name}</label>
        ))}
      </fieldset>
      {error != null && <MeetingError error={error} />}
      <button type="submit" className="button button--primary" disabled={saving}>{label}</button>
    </form>
  );
}

function CentreMeeting({ id, invitable, onChanged }: { id: string; invitable: Invitable; onChanged: () => void }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`supporter-meeting-centre:${id}`, (signal) => supporterMeetingsApi.get(id, signal));
  const [shown, setShown] = useState<SupporterMeeting | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  const m = shown ?? resource.data;
  const run = async (f: () => Promise<SupporterMeeting>) => {
    setError(null);
    try {
      setShown(await f());
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const live = !m.cancelled;
  return (
    <section data-testid="supporter-meeting" aria-labelledby="supporter-meeting-title">
      <h2 id="supporter-meeting-title" lang="ja">{t(`supporterMeetings.kind.${m.kind}`)}：{m.title}</h2>
      <p><MeetingWhen m={m} />　<MeetingState m={m} /></p>
      <p>{t('supporterMeetings.freeOf', { free: m.free, capacity: m.capacity })}　{t('supporterMeetings.deadline')}: <DateText value={m.registrationDeadline} /></p>
      {m.cancelled && <p className="doc-note" role="note">{t('supporterMeetings.cancelledBecause', { reason: m.cancelled.reason })}</p>}
      {m.description && <p className="doc-note" lang="ja">{m.description}</p>}
      <table className="data-table" data-testid="meeting-invitees">
        <caption>{t('supporterMeetings.byInvitee')}</caption>
        <thead><tr><th scope="col">{t('supporterMeetings.invitee')}</th><th scope="col">{t('supporterMeetings.registered')}</th><th scope="col">{t('supporterMeetings.attendedCount')}</th></tr></thead>
        <tbody>
          {m.invitees.map((i) => (
            <tr key={i.id} data-invitee={i.code ?? i.id}><th scope="row" lang="ja">{i.name}{i.kind === 'partner' ? `（${t('supporterMeetings.partner')}）` : ''}</th><td>{i.registered}</td><td>{i.attended}</td></tr>
          ))}
        </tbody>
      </table>
      <h3>{t('supporterMeetings.registrations')}</h3>
      {m.registrations.length === 0 ? <p className="empty">{t('supporterMeetings.noRegistrations')}</p> : (
        <table className="data-table" data-testid="meeting-registrations">
          <caption className="visually-hidden">{t('supporterMeetings.registrations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('supporterMeetings.name')}</th><th scope="col">{t('supporterMeetings.invitee')}</th><th scope="col">{t('supporterMeetings.section')}</th>
              <th scope="col">{t('supporterMeetings.job')}</th><th scope="col">{t('supporterMeetings.attendance')}</th><th scope="col"><span className="visually-hidden">{t('supporterMeetings.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {m.registrations.map((r) => (
              <tr key={r.id} data-testid="registration">
                <th scope="row" lang="ja">{r.name}{r.walkIn ? `（${t('supporterMeetings.walkIn')}）` : ''}</th>
                <td lang="ja">{r.invitee.name}</td><td lang="ja">{r.section ?? ''}</td><td lang="ja">{r.job ?? ''}</td>
                <td>{r.attended === null ? '—' : t(r.attended ? 'supporterMeetings.attended' : 'supporterMeetings.absent')}</td>
                <td>
                  {live && m.held && (
                    <>
                      <button type="button" className="button" aria-pressed={r.attended === true} onClick={() => run(() => supporterMeetingsApi.attendance(r.id, true))}>{t('supporterMeetings.markAttended')}<span className="visually-hidden">: {r.name}</span></button>
                      <button type="button" className="button" aria-pressed={r.attended === false} onClick={() => run(() => supporterMeetingsApi.attendance(r.id, false))}>{t('supporterMeetings.markAbsent')}<span className="visually-hidden">: {r.name}</span></button>
                    </>
                  )}
                  {live && !m.held && (
                    <button type="button" className="button" onClick={() => run(() => supporterMeetingsApi.unregister(r.id))}>{t('supporterMeetings.unregister')}<span className="visually-hidden">: {r.name}</span></button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error != null && <MeetingError error={error} />}
      {live && !m.held && <RegisterForm meeting={m} invitees={m.invitees} onDone={(x) => { setShown(x); onChanged(); }} />}
      {live && m.held && <RegisterForm meeting={m} invitees={m.invitees} walkIn onDone={(x) => { setShown(x); onChanged(); }} />}
      {live && !m.held && (
        <>
          {editing
            ? <MeetingForm invitable={invitable} meeting={m} onSaved={(x) => { setShown(x); setEditing(false); onChanged(); }} />
            : <button type="button" className="button" onClick={() => setEditing(true)}>{t('supporterMeetings.edit')}</button>}
          <form className="form" aria-label={t('supporterMeetings.cancelMeeting')} onSubmit={(ev) => { ev.preventDefault(); void run(() => supporterMeetingsApi.cancel(m.id, reason)); }}>
            <h3>{t('supporterMeetings.cancelMeeting')}</h3>
            <label>{t('supporterMeetings.cancelReason')}<input required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
            <button type="submit" className="button">{t('supporterMeetings.cancelMeeting')}</button>
          </form>
        </>
      )}
    </section>
  );
}

/** The year's figures per municipality and partner group: invited, registered, attended, by kind. */
function Figures() {
  const { t } = useTranslation();
  const [fiscalYear, setFiscalYear] = useState<number | undefined>(undefined);
  const [figures, reload] = useResource(`supporter-meeting-figures:${fiscalYear ?? ''}`, (signal) => supporterMeetingsApi.figures(fiscalYear, signal));
  if (figures.status === 'loading') return <Loading />;
  if (figures.status === 'error') return <ErrorPanel error={figures.error} onRetry={reload} />;
  const f = figures.data;
  const groups = ['exchange', 'training', 'total'] as const;
  return (
    <section aria-labelledby="supporter-meeting-figures-title">
      <h2 id="supporter-meeting-figures-title">{t('supporterMeetings.figures', { year: f.label })}</h2>
      <label>{t('supporterMeetings.fiscalYear')}
        <input type="number" min={2000} max={2100} value={f.fiscalYear} onChange={(e) => setFiscalYear(Number(e.target.value) || undefined)} />
      </label>
      <DownloadFigures fiscalYear={f.fiscalYear} />
      <table className="data-table" data-testid="supporter-meeting-figures">
        <caption className="visually-hidden">{t('supporterMeetings.figures', { year: f.label })}</caption>
        <thead>
          <tr><td />{groups.map((g) => <th key={g} scope="colgroup" colSpan={3}>{g === 'total' ? t('supporterMeetings.total') : t(`supporterMeetings.kind.${g}`)}</th>)}</tr>
          <tr>
            <th scope="col">{t('supporterMeetings.invitee')}</th>
            {groups.map((g) => (['invited', 'registered', 'attendedCount'] as const).map((c) => <th key={`${g}-${c}`} scope="col">{t(`supporterMeetings.${c}`)}</th>))}
          </tr>
        </thead>
        <tbody>
          {f.rows.map((r) => (
            <tr key={r.invitee.id} data-invitee={r.invitee.code ?? r.invitee.id}>
              <th scope="row" lang="ja">{r.invitee.name}</th>
              {groups.map((g) => [r[g].invited, r[g].registered, r[g].attended].map((v, i) => <td key={`${g}-${i}`}>{v}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The year's figures as a file (xlsx or CSV), made by the figures module's exporters. */
function DownloadFigures({ fiscalYear }: { fiscalYear: number }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: unknown }>({ busy: false, message: null, error: null });
  const download = async (format: 'xlsx' | 'csv' | 'sjis.csv') => {
    setState({ busy: true, message: null, error: null });
    try {
      const name = await supporterMeetingsApi.downloadFigures(fiscalYear, format);
      setState({ busy: false, message: t('supporterMeetings.downloaded', { name }), error: null });
    } catch (e) {
      setState({ busy: false, message: null, error: e });
    }
  };
  return (
    <div className="form form--inline">
      <button type="button" className="button" disabled={state.busy} onClick={() => void download('xlsx')}>{t('supporterMeetings.downloadXlsx')}</button>
      <button type="button" className="button" disabled={state.busy} onClick={() => void download('csv')}>{t('supporterMeetings.downloadCsv')}</button>
      <button type="button" className="button" disabled={state.busy} onClick={() => void download('sjis.csv')}>{t('supporterMeetings.downloadSjis')}</button>
      <p role="status">{state.message}</p>
      {state.error != null && <ErrorPanel error={state.error} />}
    </div>
  );
}
