import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { OrgLinkList } from '../components/Links.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { Disclosure } from '../cases/Disclosure.tsx';
import { messages, summaryOf, useFormErrors } from '../cases/useFormErrors.ts';
import { formatCadence } from '../lib/cadence.ts';
import { japanToday } from '../lib/cases.ts';
import { checkRecurrenceDraft, monthsOf, ruleDates, shortcutOf, type MonthShortcut, type RecurrenceDraft } from '../lib/meetings.ts';
import type { HolidayShift, MeetingSeriesView, MeetingSession } from '../types.ts';
import { mayReadAcknowledgements } from '../access.ts';
import { useNameText } from '../network/Names.tsx';
import { useResource } from '../useResource.ts';
import { meetingsApi } from './api.ts';
import { MovedFrom, SessionWhen, StatutoryBadge, useMeetingLabels } from './parts.tsx';

interface Props {
  series: MeetingSeriesView;
  coordinator: boolean;
  /** The signed-in role: who may read the acknowledgements on file. */
  role: string;
  onChanged(next: MeetingSeriesView): void;
  /** Sessions were scheduled: the calendar loads again. */
  onScheduled(): void;
}

/**
 * One meeting series: its legal basis (支援会議 when statutory), cadence,
 * members and next session. The coordinator sets its recurrence and its
 * calendar feed; a member of a 支援会議 acknowledges the duty of
 * confidentiality here.
 */
export function SeriesCard({ series, coordinator, role, onChanged, onScheduled }: Props) {
  const { t, i18n } = useTranslation();
  const labels = useMeetingLabels();
  const cadence = formatCadence(series.cadence, i18n.language);
  const headingId = `series-${series.id}-heading`;
  return (
    <li className="card meeting-series" data-testid="meeting-series" data-series={series.key}>
      <h3 className="card__title" id={headingId}><LocalName item={series} /></h3>
      <p className="badges">
        {series.statutory && <StatutoryBadge />}
        {!series.casesAllowed && <Badge tone="muted">{t('meetings.series.topicsOnly')}</Badge>}
      </p>
      <Facts>
        <Fact label={t('meeting.legalBasis')}>
          {labels.both(series.legalBasisLabel)}
          <span className="fact-note">{series.statutory ? t('meeting.sharesWithoutConsentNote') : series.casesAllowed ? t('meeting.consentRequired') : t('meetings.series.liaisonNote')}</span>
        </Fact>
        {cadence && <Fact label={t('meeting.cadence')}>{cadence}</Fact>}
        <Fact label={t('meeting.purpose')}><span lang="ja">{series.purpose}</span></Fact>
        {series.organizer && <Fact label={t('meeting.organizer')}><OrgLinkList orgs={[series.organizer]} /></Fact>}
        {series.members.length > 0 && <Fact label={t('meeting.members')}><OrgLinkList orgs={series.members} /></Fact>}
        {series.memberLevel && <Fact label={t('meeting.memberLevel')}><span lang="ja">{series.memberLevel}</span></Fact>}
        <Fact label={t('meetings.series.recurrence')}>
          {series.recurrence
            ? <>{labels.both(series.recurrence.description)}{series.recurrence.place && <>（<span lang="ja">{series.recurrence.place}</span>）</>}</>
            : t('meetings.series.noRecurrence')}
        </Fact>
        <Fact label={t('meetings.series.next')}>
          {series.nextSession
            ? (
              <Link to={`/meetings/sessions/${encodeURIComponent(series.nextSession.id)}`}>
                <SessionWhen session={series.nextSession} />
              </Link>
            )
            : t('meetings.series.noNext')}
        </Fact>
      </Facts>
      {series.statutory && role === 'org_staff' && <Acknowledgement series={series} onDone={onChanged} />}
      {series.statutory && mayReadAcknowledgements(role) && <AcknowledgementsOnFile series={series} />}
      {coordinator && (
        <>
          <FeedBlock series={series} onCreated={(url) => onChanged({ ...series, feedUrl: url })} />
          <Disclosure id={`recurrence-${series.id}`} label={t('meetings.recurrence.open')}>
            {(close) => <RecurrenceForm series={series} onCancel={close} onSaved={(next) => { onChanged(next); onScheduled(); }} />}
          </Disclosure>
        </>
      )}
    </li>
  );
}

/** 守秘義務の確認: the statement, and 「確認しました」 (once per series and user). */
export function Acknowledgement({ series, onDone, titled = true }: { series: Pick<MeetingSeriesView, 'id' | 'confidentialityStatement' | 'acknowledgedAt'>; onDone(next: MeetingSeriesView): void; titled?: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (series.acknowledgedAt) {
    return <p className="meeting-ack meeting-ack--done" data-testid="acknowledged">{t('meetings.ack.doneBefore')}<DateTimeText value={series.acknowledgedAt} />{t('meetings.ack.doneAfter')}</p>;
  }
  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      onDone(await meetingsApi.acknowledge(series.id));
    } catch (e) {
      setError(errorMessage(t, e));
      setBusy(false);
    }
  }
  return (
    <section className="meeting-ack" aria-label={titled ? undefined : t('meetings.ack.title')} aria-labelledby={titled ? `ack-${series.id}` : undefined} data-testid="acknowledgement">
      {titled && <h4 id={`ack-${series.id}`}>{t('meetings.ack.title')}</h4>}
      {titled && <p>{t('meetings.ack.intro')}</p>}
      <blockquote className="meeting-ack__statement" lang="ja">{series.confidentialityStatement}</blockquote>
      {error && <p className="field__error" role="alert">{error}</p>}
      <button type="button" className="button" disabled={busy} onClick={() => void acknowledge()}>{t('meetings.ack.button')}</button>
    </section>
  );
}

/**
 * 守秘義務の確認状況: who acknowledged the duty of confidentiality of this
 * 支援会議, of which organisation, when (the hub, privacy officers and
 * auditors; reading it is audited, so it loads when asked for).
 */
function AcknowledgementsOnFile({ series }: { series: MeetingSeriesView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const headingId = `acks-${series.id}`;
  if (!open) {
    return (
      <p className="no-print">
        <button type="button" className="button button--secondary" aria-expanded="false" onClick={() => setOpen(true)}>{t('meetings.acks.show')}</button>
      </p>
    );
  }
  return (
    <section className="meeting-acks" aria-labelledby={headingId} data-testid="acknowledgements-on-file">
      <h4 id={headingId}>{t('meetings.acks.title')}</h4>
      <AcknowledgementList seriesId={series.id} headingId={headingId} />
    </section>
  );
}

function AcknowledgementList({ seriesId, headingId }: { seriesId: string; headingId: string }) {
  const { t } = useTranslation();
  const names = useNameText();
  const [resource, reload] = useResource(`acknowledgements:${seriesId}`, (signal) => meetingsApi.listAcknowledgements(seriesId, signal));
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  const items = resource.data.items;
  if (items.length === 0) return <p className="empty">{t('meetings.acks.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-labelledby={headingId}>
        <thead><tr><th scope="col">{t('meetings.acks.user')}</th><th scope="col">{t('meetings.acks.organization')}</th><th scope="col">{t('meetings.acks.at')}</th></tr></thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.user.id}>
              <td><span lang="ja">{a.user.displayName}</span> <span className="muted-text">{a.user.login}</span></td>
              <td>{a.organizations.map((o) => names.org(o)).join('、')}</td>
              <td><DateTimeText value={a.acknowledgedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The series' iCalendar address (dates, times and places only): created once, then copied into a calendar program. */
function FeedBlock({ series, onCreated }: { series: MeetingSeriesView; onCreated(url: string): void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; error: string | null; copied: boolean }>({ busy: false, error: null, copied: false });
  const id = `feed-${series.id}`;
  const absolute = series.feedUrl ? new URL(series.feedUrl, window.location.origin).toString() : null;
  async function create() {
    setState({ busy: true, error: null, copied: false });
    try {
      const { url } = await meetingsApi.createFeed(series.id);
      onCreated(url);
      setState({ busy: false, error: null, copied: false });
    } catch (e) {
      setState({ busy: false, error: errorMessage(t, e), copied: false });
    }
  }
  async function copy() {
    if (!absolute) return;
    try {
      await navigator.clipboard.writeText(absolute);
      setState((s) => ({ ...s, copied: true }));
    } catch {
      // no clipboard permission: the address is selected for copying by hand
      document.getElementById(id)?.focus();
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  }
  return (
    <div className="meeting-feed no-print">
      <h4>{t('meetings.feed.title')}</h4>
      <p className="section__hint">{t('meetings.feed.hint')}</p>
      {absolute ? (
        <div className="field-row field-row--end">
          <FormField id={id} label={t('meetings.feed.url')}>
            {(control) => <input {...control} type="text" readOnly value={absolute} onFocus={(e) => e.currentTarget.select()} className="meeting-feed__url" />}
          </FormField>
          <div className="field"><button type="button" className="button button--secondary" onClick={() => void copy()}>{t('meetings.feed.copy')}</button></div>
        </div>
      ) : (
        <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void create()}>{t('meetings.feed.create')}</button>
      )}
      <p role="status" className={state.copied ? 'notice notice--done' : undefined}>{state.copied ? t('meetings.feed.copied') : ''}</p>
      {state.error && <p className="field__error" role="alert">{state.error}</p>}
    </div>
  );
}

/** 「3月」 / 'Mar' */
const monthName = (m: number, language: string) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ja-JP', { month: language === 'en' ? 'short' : 'long', timeZone: 'UTC' }).format(Date.UTC(2000, m - 1, 1));

const NTHS = [1, 2, 3, 4, -1] as const;
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

function draftOf(series: MeetingSeriesView): RecurrenceDraft & { holidayShift: HolidayShift; place: string } {
  const r = series.recurrence;
  const everyTwo = series.cadence?.unit === 'month' && series.cadence.every === 2;
  return {
    months: r ? [...r.rule.months] : everyTwo ? monthsOf('odd') : series.cadence?.unit === 'month' ? monthsOf('all') : [],
    weekday: r?.rule.weekday ?? 2,
    nth: r?.rule.nth ?? 2,
    start: r?.rule.start ?? '14:00',
    minutes: String(r?.rule.minutes ?? 90),
    count: '6',
    holidayShift: r?.holidayShift ?? 'next_weekday',
    place: r?.place ?? '',
  };
}

const ORDER = ['months', 'nth', 'weekday', 'start', 'minutes', 'count'];

/**
 * 定例開催の設定: months (with 奇数月・偶数月・毎月), the nth weekday, time,
 * length, what to do on a holiday, place and how many sessions. The dates
 * the rule gives show as they are chosen; the server moves those on a
 * holiday and answers the sessions it created, which are listed.
 */
function RecurrenceForm({ series, onCancel, onSaved }: { series: MeetingSeriesView; onCancel(): void; onSaved(next: MeetingSeriesView): void }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(series));
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<MeetingSession[] | null>(null);
  const form = useFormErrors(() => messages(checkRecurrenceDraft(draft), (c) => t(`meetings.recurrence.errors.${c}`)));
  const p = `rec-${series.id}`;
  const set = (change: Partial<typeof draft>, ...fields: string[]) => {
    setDraft((d) => ({ ...d, ...change }));
    setCreated(null);
    form.clear(...fields);
  };
  const toggleMonth = (m: number, on: boolean) => set({ months: on ? [...new Set([...draft.months, m])].sort((a, b) => a - b) : draft.months.filter((x) => x !== m) }, 'months');
  const shortcut = shortcutOf(draft.months);
  const count = Number(draft.count);
  const preview = Number.isInteger(count) && count >= 1 && count <= 24 ? ruleDates(draft, japanToday(new Date()), count) : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      const result = await meetingsApi.setRecurrence(series.id, {
        rule: { months: draft.months, weekday: draft.weekday, nth: draft.nth, start: draft.start, minutes: Number(draft.minutes) },
        holidayShift: draft.holidayShift, ...(draft.place.trim() ? { place: draft.place.trim() } : {}), count,
      });
      setCreated(result.sessions);
      onSaved(result.series);
    } catch (error) {
      form.fail(error, (f) => {
        const name = f.replace(/^\//, '').replace(/\//g, '.').replace(/^rule\./, '');
        return ORDER.includes(name) ? name : null;
      });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="inline-form recurrence-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby={`${p}-heading`} data-testid="recurrence-form">
      <h4 id={`${p}-heading`}>{t('meetings.recurrence.title', { series: series.name })}</h4>
      <ErrorSummary errors={summaryOf(form.errors, ORDER, (k) => `${p}-${k}`)} general={form.general} attempt={form.attempt} />
      <ChoiceGroup id={`${p}-months`} label={t('meetings.recurrence.months')} error={form.errors.months} required>
        <div className="recurrence-form__shortcuts" role="group" aria-label={t('meetings.recurrence.shortcuts')}>
          {(['odd', 'even', 'all'] as MonthShortcut[]).map((s) => (
            <button key={s} type="button" className="button button--secondary button--small" aria-pressed={shortcut === s}
              onClick={() => set({ months: monthsOf(s) }, 'months')}>
              {t(`meetings.recurrence.shortcut.${s}`)}
            </button>
          ))}
        </div>
        <div className="choices--inline recurrence-form__months">
          {MONTHS.map((m) => (
            <Choice key={m} type="checkbox" name={`${p}-month`} value={String(m)} checked={draft.months.includes(m)} onChange={(on) => toggleMonth(m, on)} label={monthName(m, i18n.language)} />
          ))}
        </div>
      </ChoiceGroup>
      <div className="field-row">
        <FormField id={`${p}-nth`} label={t('meetings.recurrence.nth')} className="field--short">
          {(control) => (
            <select {...control} value={draft.nth} onChange={(e) => set({ nth: Number(e.target.value) })}>
              {NTHS.map((n) => <option key={n} value={n}>{t(`meetings.recurrence.nthValue.${n === -1 ? 'last' : n}`)}</option>)}
            </select>
          )}
        </FormField>
        <FormField id={`${p}-weekday`} label={t('meetings.recurrence.weekday')} className="field--short">
          {(control) => (
            <select {...control} value={draft.weekday} onChange={(e) => set({ weekday: Number(e.target.value) })}>
              {WEEKDAYS.map((d) => <option key={d} value={d}>{t(`meetings.weekday.${d}`)}</option>)}
            </select>
          )}
        </FormField>
        <FormField id={`${p}-start`} label={t('meetings.recurrence.start')} error={form.errors.start} required className="field--short">
          {(control) => <input {...control} type="time" value={draft.start} onChange={(e) => set({ start: e.target.value }, 'start')} />}
        </FormField>
        <FormField id={`${p}-minutes`} label={t('meetings.recurrence.minutes')} error={form.errors.minutes} required className="field--short">
          {(control) => <input {...control} type="number" inputMode="numeric" min={15} max={600} step={5} value={draft.minutes} onChange={(e) => set({ minutes: e.target.value }, 'minutes')} />}
        </FormField>
      </div>
      <ChoiceGroup id={`${p}-shift`} label={t('meetings.recurrence.holidayShift')} hint={t('meetings.recurrence.holidayShiftHint')}>
        {(['next_weekday', 'previous_weekday'] as HolidayShift[]).map((s) => (
          <Choice key={s} type="radio" name={`${p}-shift`} value={s} checked={draft.holidayShift === s} onChange={() => set({ holidayShift: s })} label={t(`meetings.recurrence.shift.${s}`)} />
        ))}
      </ChoiceGroup>
      <div className="field-row">
        <FormField id={`${p}-place`} label={t('meetings.recurrence.place')}>
          {(control) => <input {...control} type="text" lang="ja" maxLength={200} value={draft.place} onChange={(e) => set({ place: e.target.value })} />}
        </FormField>
        <FormField id={`${p}-count`} label={t('meetings.recurrence.count')} hint={t('meetings.recurrence.countHint')} error={form.errors.count} required className="field--short">
          {(control) => <input {...control} type="number" inputMode="numeric" min={1} max={24} value={draft.count} onChange={(e) => set({ count: e.target.value }, 'count')} />}
        </FormField>
      </div>
      {created === null ? (
        <div className="recurrence-form__preview" data-testid="recurrence-preview">
          <h5>{t('meetings.recurrence.preview')}</h5>
          <p className="field__hint">{t('meetings.recurrence.previewHint')}</p>
          {preview.length === 0 ? <p className="empty">{t('meetings.recurrence.previewNone')}</p> : (
            <ol className="plain-list">{preview.map((d) => <li key={d}><DateText value={d} />{t(`meetings.weekdayParen.${new Date(`${d}T00:00:00Z`).getUTCDay() as (typeof WEEKDAYS)[number]}`)} {draft.start}</li>)}</ol>
          )}
        </div>
      ) : (
        <div className="recurrence-form__created" data-testid="recurrence-created">
          <p role="status" className="notice notice--done">{created.length > 0 ? t('meetings.recurrence.created', { count: created.length }) : t('meetings.recurrence.createdNone')}</p>
          {created.length > 0 && (
            <ol className="plain-list">
              {created.map((s) => (
                <li key={s.id}>
                  <Link to={`/meetings/sessions/${encodeURIComponent(s.id)}`}><SessionWhen session={s} /></Link>
                  {s.movedFrom && <> <MovedFrom from={s.movedFrom} /></>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('meetings.recurrence.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('meetings.close')}</button>
      </div>
    </form>
  );
}
