import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { ErrorPanel } from '../components/Status.tsx';
import { supporterMeetingsApi, type Invitee, type MeetingSummary, type SupporterMeeting } from './supporterMeetings.ts';

/** A refusal in the server's own words where it says what happened (定員に達しました, 申込期限を過ぎた, すでに申し込まれています). */
export function MeetingError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 409) return <div className="error-panel" role="alert" data-testid="meeting-conflict"><p>{error.message}</p></div>;
  return <ErrorPanel error={error} />;
}

/** 日時・会場: the day in 和暦, the times, the place and whether it is online. */
export function MeetingWhen({ m }: { m: MeetingSummary }) {
  const { t } = useTranslation();
  return (
    <>
      <DateText value={m.date} /> {m.startTime}〜{m.endTime ?? ''}
      {m.place ? `　${m.place}` : ''}{m.online ? `　${t('supporterMeetings.online')}` : ''}
    </>
  );
}

/** Where registration stands: 中止, 開催済み, 受付中 or 締切. */
export function MeetingState({ m }: { m: MeetingSummary }) {
  const { t } = useTranslation();
  const state = m.cancelled ? 'cancelled' : m.held ? 'held' : m.open ? 'open' : 'closed';
  return <span data-state={state}>{t(`supporterMeetings.state.${state}`)}</span>;
}

/**
 * A registration: municipal staff for their own municipality; the centre on
 * an invitee's behalf (a partner group's by phone or email), or a walk-in after the day.
 */
export function RegisterForm({ meeting, invitees, walkIn, onDone }: {
  meeting: SupporterMeeting;
  /** The centre chooses the invitee; municipal staff register for their own. */
  invitees?: Invitee[];
  walkIn?: boolean;
  onDone: (m: SupporterMeeting) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [section, setSection] = useState('');
  const [job, setJob] = useState('');
  const [email, setEmail] = useState('');
  const [inviteeId, setInviteeId] = useState(invitees?.[0]?.id ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const label = walkIn ? t('supporterMeetings.addWalkIn') : invitees ? t('supporterMeetings.recordRegistration') : t('supporterMeetings.register');
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (saving) return;
    setError(null);
    setSaving(true);
    try {
      const m = await supporterMeetingsApi.register(meeting.id, {
        name, section: section || null, job: job || null, email: email || null, ...(invitees ? { inviteeId } : {}), ...(walkIn ? { walkIn: true } : {}),
      });
      setName('');
      setSection('');
      setJob('');
      setEmail('');
      onDone(m);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label={label} data-testid={walkIn ? 'walk-in-form' : 'register-form'}>
      <h3>{label}</h3>
      {invitees && (
        <label>{t('supporterMeetings.invitee')}
          <select value={inviteeId} onChange={(e) => setInviteeId(e.target.value)}>
            {invitees.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
        </label>
      )}
      <label>{t('supporterMeetings.name')}<input required value={name} maxLength={100} onChange={(e) => setName(e.target.value)} /></label>
      <label>{t('supporterMeetings.section')}<input value={section} maxLength={200} onChange={(e) => setSection(e.target.value)} /></label>
      <label>{t('supporterMeetings.job')}<input value={job} maxLength={100} onChange={(e) => setJob(e.target.value)} /></label>
      {!walkIn && <label>{t('supporterMeetings.email')}<input type="email" value={email} maxLength={200} onChange={(e) => setEmail(e.target.value)} /></label>}
      {error != null && <MeetingError error={error} />}
      <button type="submit" className="button button--primary" disabled={saving}>{label}</button>
    </form>
  );
}
