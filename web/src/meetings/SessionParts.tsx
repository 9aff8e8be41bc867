import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Choice, ChoiceGroup, FormField } from '../components/Form.tsx';
import { ErrorPanel } from '../components/Status.tsx';
import { fromJapanDateTimeInputs, japanDateTimeInputs } from '../lib/dates.ts';
import { japanClock, minutesBetween } from '../lib/meetings.ts';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { GuestKind, GuestSees, MeetingSessionDetail, SessionPatch, SessionStatus } from '../types.ts';
import { meetingsApi } from './api.ts';
import { useMeetingLabels } from './parts.tsx';
import { useSessionAction } from './useSessionAction.ts';
import { useResource } from '../useResource.ts';

interface Props {
  detail: MeetingSessionDetail;
  onChanged(next: MeetingSessionDetail): void;
  onReload(): void;
}

const STATUSES: readonly SessionStatus[] = ['scheduled', 'held', 'cancelled'];

/**
 * 開催情報の変更 (coordinator): date, time, length, place, status and the
 * sharing window, sent with the version read; a stale version offers to load
 * the latest.
 */
export function SessionSettings({ detail, onChanged, onReload }: Props) {
  const { t } = useTranslation();
  const labels = useMeetingLabels();
  const initial = () => {
    const from = japanDateTimeInputs(new Date(detail.shareFrom));
    const until = japanDateTimeInputs(new Date(detail.shareUntil));
    return {
      date: detail.date, start: japanClock(detail.startsAt), minutes: String(minutesBetween(detail.startsAt, detail.endsAt)), place: detail.place ?? '', status: detail.status,
      fromDate: from.date, fromTime: from.time, untilDate: until.date, untilTime: until.time,
    };
  };
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(initial);
  const [localError, setLocalError] = useState<string | null>(null);
  const action = useSessionAction((next) => { onChanged(next); setOpen(false); });
  const p = 'session-settings';

  if (!open) {
    return (
      <p className="no-print">
        <button type="button" className="button button--secondary" aria-expanded="false" aria-controls={p}
          onClick={() => { setDraft(initial()); setOpen(true); requestAnimationFrame(() => document.getElementById(`${p}-date`)?.focus()); }}>
          {t('meetings.settings.open')}
        </button>
      </p>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const was = initial();
    const shareFrom = fromJapanDateTimeInputs(draft.fromDate, draft.fromTime);
    const shareUntil = fromJapanDateTimeInputs(draft.untilDate, draft.untilTime);
    if (!shareFrom || !shareUntil) { setLocalError(t('meetings.settings.windowInvalid')); return; }
    setLocalError(null);
    const body: SessionPatch = { version: detail.version };
    if (draft.date !== was.date) body.date = draft.date;
    if (draft.start !== was.start) body.start = draft.start;
    if (draft.minutes !== was.minutes) body.minutes = Number(draft.minutes);
    if (draft.place !== was.place) body.place = draft.place.trim();
    if (draft.status !== was.status) body.status = draft.status;
    if (draft.fromDate !== was.fromDate || draft.fromTime !== was.fromTime) body.shareFrom = shareFrom;
    if (draft.untilDate !== was.untilDate || draft.untilTime !== was.untilTime) body.shareUntil = shareUntil;
    void action.run(() => meetingsApi.updateSession(detail.id, body));
  }
  const set = (change: Partial<ReturnType<typeof initial>>) => setDraft((d) => ({ ...d, ...change }));

  return (
    <form id={p} className="inline-form no-print" onSubmit={onSubmit} noValidate aria-busy={action.busy} aria-labelledby={`${p}-heading`} data-testid="session-settings">
      <h3 id={`${p}-heading`}>{t('meetings.settings.title')}</h3>
      <div className="field-row">
        <FormField id={`${p}-date`} label={t('meetings.settings.date')} error={action.fields.date} className="field--short">
          {(control) => <input {...control} type="date" value={draft.date} onChange={(e) => set({ date: e.target.value })} />}
        </FormField>
        <FormField id={`${p}-start`} label={t('meetings.recurrence.start')} error={action.fields.start} className="field--short">
          {(control) => <input {...control} type="time" value={draft.start} onChange={(e) => set({ start: e.target.value })} />}
        </FormField>
        <FormField id={`${p}-minutes`} label={t('meetings.recurrence.minutes')} error={action.fields.minutes} className="field--short">
          {(control) => <input {...control} type="number" min={15} max={600} value={draft.minutes} onChange={(e) => set({ minutes: e.target.value })} />}
        </FormField>
        <FormField id={`${p}-status`} label={t('meetings.settings.status')} className="field--short">
          {(control) => (
            <select {...control} value={draft.status} onChange={(e) => set({ status: e.target.value as SessionStatus })}>
              {STATUSES.map((s) => <option key={s} value={s}>{labels.status(s)}</option>)}
            </select>
          )}
        </FormField>
      </div>
      <FormField id={`${p}-place`} label={t('meetings.recurrence.place')} error={action.fields.place}>
        {(control) => <input {...control} type="text" lang="ja" maxLength={200} value={draft.place} onChange={(e) => set({ place: e.target.value })} />}
      </FormField>
      <fieldset className="field">
        <legend>{t('meetings.settings.window')}</legend>
        <p className="field__hint">{t('meetings.settings.windowHint')}</p>
        <div className="field-row">
          <FormField id={`${p}-share-from-date`} label={t('meetings.settings.shareFrom')} className="field--short">
            {(control) => <input {...control} type="date" value={draft.fromDate} onChange={(e) => set({ fromDate: e.target.value })} />}
          </FormField>
          <FormField id={`${p}-share-from-time`} label={t('meetings.settings.shareFromTime')} className="field--short">
            {(control) => <input {...control} type="time" value={draft.fromTime} onChange={(e) => set({ fromTime: e.target.value })} />}
          </FormField>
          <FormField id={`${p}-share-until-date`} label={t('meetings.settings.shareUntil')} error={action.fields.shareUntil} className="field--short">
            {(control) => <input {...control} type="date" value={draft.untilDate} onChange={(e) => set({ untilDate: e.target.value })} />}
          </FormField>
          <FormField id={`${p}-share-until-time`} label={t('meetings.settings.shareUntilTime')} className="field--short">
            {(control) => <input {...control} type="time" value={draft.untilTime} onChange={(e) => set({ untilTime: e.target.value })} />}
          </FormField>
        </div>
      </fieldset>
      {(localError || action.error) && <p className="form-error" role="alert">{localError ?? action.error}</p>}
      {action.conflict !== null && <ErrorPanel error={action.conflict} onRetry={() => { action.clear(); setOpen(false); onReload(); }} retryLabel={t('errors.reloadLatest')} />}
      <div className="form-actions">
        <button type="submit" className="button" disabled={action.busy}>{action.busy ? t('form.saving') : t('meetings.settings.save')}</button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

/** 出席: the invited organisations, present or not and who came; the coordinator records it, others read. */
export function AttendanceSection({ detail, coordinator, onChanged }: Props & { coordinator: boolean }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState(() => Object.fromEntries(detail.attendance.map((a) => [a.organization.id, { present: a.present, names: a.attendeeNames ?? '' }])));
  const [said, setSaid] = useState(false);
  const [empty, setEmpty] = useState(false);
  const action = useSessionAction((next) => { onChanged(next); setSaid(true); });
  const row = (id: string) => rows[id] ?? { present: null, names: '' };
  const setRow = (id: string, change: Partial<{ present: boolean | null; names: string }>) => { setSaid(false); setRows((r) => ({ ...r, [id]: { ...row(id), ...change } })); };
  return (
    <section aria-labelledby="session-attendance" className="section" data-testid="attendance">
      <h2 id="session-attendance">{t('meetings.attendance.title')}</h2>
      {detail.attendance.length === 0 ? <p className="empty">{t('meetings.attendance.none')}</p> : coordinator ? (
        <form onSubmit={(e) => {
          e.preventDefault();
          const entries = detail.attendance.flatMap((a) => {
            const r = row(a.organization.id);
            return r.present === null ? [] : [{ organizationId: a.organization.id, present: r.present, ...(r.names.trim() ? { attendeeNames: r.names.trim() } : {}) }];
          });
          if (entries.length === 0) { setEmpty(true); return; }
          setEmpty(false);
          void action.run(() => meetingsApi.recordAttendance(detail.id, entries));
        }}>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('meetings.attendance.title')}</caption>
              <thead><tr><th scope="col">{t('meetings.attendance.organization')}</th><th scope="col">{t('meetings.attendance.present')}</th><th scope="col">{t('meetings.attendance.names')}</th></tr></thead>
              <tbody>
                {detail.attendance.map((a) => {
                  const r = row(a.organization.id);
                  const name = `attendance-${a.organization.id}`;
                  return (
                    <tr key={a.organization.id}>
                      <th scope="row" id={`${name}-org`}><OrgName org={a.organization} /></th>
                      <td>
                        <div role="radiogroup" aria-labelledby={`${name}-org`} className="choices--inline">
                          <Choice type="radio" name={name} value="yes" checked={r.present === true} onChange={() => setRow(a.organization.id, { present: true })} label={t('meetings.attendance.yes')} />
                          <Choice type="radio" name={name} value="no" checked={r.present === false} onChange={() => setRow(a.organization.id, { present: false })} label={t('meetings.attendance.no')} />
                        </div>
                      </td>
                      <td>
                        <input type="text" lang="ja" maxLength={500} aria-labelledby={`${name}-org ${name}-names-label`} value={r.names} onChange={(e) => setRow(a.organization.id, { names: e.target.value })} />
                        <span id={`${name}-names-label`} className="visually-hidden">{t('meetings.attendance.names')}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {(action.error || empty) && <p className="field__error" role="alert">{empty ? t('meetings.attendance.chooseOne') : action.error}</p>}
          <p role="status" className={said ? 'notice notice--done' : undefined}>{said ? t('meetings.attendance.saved') : ''}</p>
          <button type="submit" className="button button--secondary no-print" disabled={action.busy}>{t('meetings.attendance.save')}</button>
        </form>
      ) : (
        <ul className="plain-list">
          {detail.attendance.map((a) => (
            <li key={a.organization.id}>
              <OrgName org={a.organization} />：{a.present === null ? t('meetings.attendance.unknown') : a.present ? t('meetings.attendance.yes') : t('meetings.attendance.no')}
              {a.attendeeNames && <>（<span lang="ja">{a.attendeeNames}</span>）</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** 参加機関の追加 (coordinator): organisations this session invites besides the series' members. */
export function InviteOrganizations({ detail, onChanged }: Props) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [said, setSaid] = useState<string | null>(null);
  const action = useSessionAction(onChanged);
  const invited = new Set(detail.attendance.map((a) => a.organization.id));
  const candidates = network.organizations.filter((o) => o.active && !invited.has(o.id));
  return (
    <section aria-labelledby="session-invite" className="section no-print" data-testid="invite-organizations">
      <h2 id="session-invite">{t('meetings.invite.title')}</h2>
      <p className="section__hint">{t('meetings.invite.hint')}</p>
      <form onSubmit={(e) => {
        e.preventDefault();
        const ids = [...chosen];
        if (ids.length === 0) return;
        void action.run(() => meetingsApi.inviteOrganizations(detail.id, ids)).then((ok) => { if (ok) { setChosen(new Set()); setSaid(t('meetings.invite.done', { count: ids.length })); } });
      }}>
        <ChoiceGroup id="invite-orgs" label={t('meetings.invite.choose')} className="choices--grid">
          {candidates.map((o) => (
            <Choice key={o.id} type="checkbox" name="invite-org" value={o.id} checked={chosen.has(o.id)} label={names.org(o)}
              onChange={(on) => { setSaid(null); setChosen((c) => { const n = new Set(c); if (on) n.add(o.id); else n.delete(o.id); return n; }); }} />
          ))}
        </ChoiceGroup>
        {action.error && <p className="field__error" role="alert">{action.error}</p>}
        <p role="status" className={said ? 'notice notice--done' : undefined}>{said}</p>
        <button type="submit" className="button button--secondary" disabled={action.busy || chosen.size === 0}>{t('meetings.invite.submit')}</button>
      </form>
    </section>
  );
}

const GUEST_KINDS: readonly GuestKind[] = ['welfare_commissioner', 'lived_experience', 'expert', 'other'];

/** ゲスト (coordinator): a 民生委員 or a person with lived experience, seeing topics only or cases pseudonymised. */
export function GuestsSection({ detail, onChanged }: Props) {
  const { t } = useTranslation();
  const labels = useMeetingLabels();
  const [userId, setUserId] = useState('');
  const [kind, setKind] = useState<GuestKind>('welfare_commissioner');
  const [sees, setSees] = useState<GuestSees>('topics');
  const action = useSessionAction(onChanged);
  const [accounts] = useResource('meeting-guest-accounts', (signal) => meetingsApi.guestAccounts(signal));
  const p = 'guest';
  return (
    <section aria-labelledby="session-guests" className="section" data-testid="guests">
      <h2 id="session-guests">{t('meetings.guests.title')}</h2>
      {detail.guests.length === 0 ? <p className="empty">{t('meetings.guests.none')}</p> : (
        <ul className="plain-list">
          {detail.guests.map((g) => <li key={g.id}><span lang="ja">{g.user.displayName}</span>（{labels.guestKind(g.kind)}・{labels.guestSees(g.sees)}）</li>)}
        </ul>
      )}
      <form className="filter no-print" aria-labelledby={`${p}-heading`} noValidate
        onSubmit={(e) => { e.preventDefault(); void action.run(() => meetingsApi.inviteGuest(detail.id, { userId: userId.trim(), kind, sees })).then((ok) => ok && setUserId('')); }}>
        <h3 id={`${p}-heading`}>{t('meetings.guests.invite')}</h3>
        <div className="filter__row">
          <FormField id={`${p}-user`} label={t('meetings.guests.userId')} hint={t('meetings.guests.userIdHint')} error={action.fields.userId}>
            {(control) => (
              <select {...control} value={userId} onChange={(e) => setUserId(e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {accounts.status === 'ok' && accounts.data.items.map((a) => <option key={a.id} value={a.id}>{a.displayName}（{a.organization.name}）</option>)}
              </select>
            )}
          </FormField>
          <FormField id={`${p}-kind`} label={t('meetings.guests.kind')}>
            {(control) => (
              <select {...control} value={kind} onChange={(e) => setKind(e.target.value as GuestKind)}>
                {GUEST_KINDS.map((k) => <option key={k} value={k}>{labels.guestKind(k)}</option>)}
              </select>
            )}
          </FormField>
          <FormField id={`${p}-sees`} label={t('meetings.guests.sees')}>
            {(control) => (
              <select {...control} value={sees} onChange={(e) => setSees(e.target.value as GuestSees)}>
                {(['topics', 'pseudonymised'] as const).map((s) => <option key={s} value={s}>{labels.guestSees(s)}</option>)}
              </select>
            )}
          </FormField>
          <button type="submit" className="button button--secondary" disabled={action.busy || !userId.trim()}>{t('meetings.guests.submit')}</button>
        </div>
        {action.error && !action.fields.userId && <p className="field__error" role="alert">{action.error}</p>}
      </form>
    </section>
  );
}
