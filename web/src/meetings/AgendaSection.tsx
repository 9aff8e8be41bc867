import type { TFunction } from 'i18next';
import { useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { FormField } from '../components/Form.tsx';
import { MergeView, useMerge } from '../components/MergeView.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { CaseStatusBadge, PersonNameText } from '../cases/CaseParts.tsx';
import { moveItem } from '../lib/meetings.ts';
import { OrgName } from '../network/Names.tsx';
import type { AgendaItem, AgendaItemInput, AgendaProposal, MeetingDecision, MeetingSessionDetail } from '../types.ts';
import { useResource } from '../useResource.ts';
import { meetingsApi } from './api.ts';
import { AgeBandText, IssueTags, ReasonText } from './parts.tsx';
import { useSessionAction } from './useSessionAction.ts';

interface Props {
  detail: MeetingSessionDetail;
  coordinator: boolean;
  onChanged(next: MeetingSessionDetail): void;
  onReload(): void;
}

/** Days without contact after which a case is proposed, unless the coordinator says otherwise (the server's default). */
const NO_CONTACT_DAYS = 60;

/** Where a case link from the agenda leads: the case page says through which meeting it is read. */
export interface MeetingPassage {
  meeting: { sessionId: string; seriesName: string; date: string };
}

/**
 * 議題: the coordinator settles it from Tsunagu's proposals and their own
 * topics, and orders it; each item shows what this viewer may see of it, its
 * minutes and its decisions.
 */
export function AgendaSection({ detail, coordinator, onChanged, onReload }: Props) {
  const { t } = useTranslation();
  const action = useSessionAction(onChanged);
  const ids = detail.agenda.map((i) => i.id);

  // keep the keyboard where it was: on the same button of the moved item, or its other one at an end —
  // once the agenda is drawn in its new order (a button focused before would be disabled under the keyboard)
  const pendingFocus = useRef<{ id: string; delta: -1 | 1 } | null>(null);
  useLayoutEffect(() => {
    const moved = pendingFocus.current;
    if (!moved) return;
    pendingFocus.current = null;
    const same = document.getElementById(`agenda-${moved.id}-${moved.delta < 0 ? 'up' : 'down'}`) as HTMLButtonElement | null;
    const other = document.getElementById(`agenda-${moved.id}-${moved.delta < 0 ? 'down' : 'up'}`) as HTMLButtonElement | null;
    (same && !same.disabled ? same : other)?.focus();
  }, [detail]);

  async function move(index: number, delta: -1 | 1) {
    pendingFocus.current = { id: ids[index]!, delta };
    if (!(await action.run(() => meetingsApi.orderAgenda(detail.id, moveItem(ids, index, delta))))) pendingFocus.current = null;
  }

  return (
    <section aria-labelledby="session-agenda" className="section" data-testid="agenda-section">
      <h2 id="session-agenda" tabIndex={-1}>{t('meetings.agenda.title')}</h2>
      {coordinator && <AgendaEditor detail={detail} onChanged={onChanged} />}
      {action.error && <p className="field__error" role="alert">{action.error}</p>}
      {action.conflict !== null && <ErrorPanel error={action.conflict} onRetry={() => { action.clear(); onReload(); }} retryLabel={t('errors.reloadLatest')} />}
      {detail.agenda.length === 0 ? <p className="empty">{t('meetings.agenda.empty')}</p> : (
        <ol className="agenda" data-testid="agenda">
          {detail.agenda.map((item, index) => (
            <li key={item.id} className={`agenda__item agenda__item--${item.view}`} data-testid="agenda-item" data-view={item.view} aria-labelledby={`agenda-${item.id}-title`}>
              <div className="agenda__head">
                <h3 id={`agenda-${item.id}-title`} className="agenda__title">
                  <span className="agenda__number">{t('meetings.agenda.number', { n: index + 1 })}</span>
                  <AgendaItemTitle item={item} />
                </h3>
                {coordinator && (
                  <div className="agenda__tools no-print" role="group" aria-label={t('meetings.agenda.toolsFor', { label: itemName(t, item) })}>
                    <button id={`agenda-${item.id}-up`} type="button" className="button button--secondary button--small" disabled={index === 0 || action.busy}
                      aria-label={t('meetings.agenda.moveUp', { label: itemName(t, item) })} onClick={() => void move(index, -1)}>↑ {t('meetings.agenda.up')}</button>
                    <button id={`agenda-${item.id}-down`} type="button" className="button button--secondary button--small" disabled={index === ids.length - 1 || action.busy}
                      aria-label={t('meetings.agenda.moveDown', { label: itemName(t, item) })} onClick={() => void move(index, 1)}>↓ {t('meetings.agenda.down')}</button>
                    <button type="button" className="button button--danger button--small" disabled={action.busy}
                      aria-label={t('meetings.agenda.remove', { label: itemName(t, item) })}
                      onClick={() => void action.run(() => meetingsApi.removeAgendaItem(detail.id, item.id)).then((ok) => ok && requestAnimationFrame(() => document.getElementById('session-agenda')?.focus()))}>
                      {t('meetings.agenda.removeShort')}
                    </button>
                  </div>
                )}
              </div>
              <p className="agenda__reason"><ReasonText reason={item.reason} detail={item.reasonDetail} /></p>
              <AgendaItemBody item={item} detail={detail} />
              <ItemMinutes item={item} detail={detail} coordinator={coordinator} onChanged={onChanged} onReload={onReload} />
              <ItemDecisions decisions={detail.decisions.filter((d) => d.agendaItemId === item.id)} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

type T = TFunction;

/** The item's name in button labels: 「事例1」, a topic's title. */
export function itemName(t: T, item: AgendaItem): string {
  if (item.kind === 'topic') return item.title ?? item.label;
  if (item.kind === 'action_review') return t('meetings.agenda.actionReviewOf', { label: item.title ?? item.label });
  return item.case?.reference ? `${item.label}（${item.case.reference}）` : item.label;
}

export function AgendaItemTitle({ item }: { item: AgendaItem }) {
  const { t } = useTranslation();
  if (item.kind === 'topic') return <span lang="ja">{item.title ?? t('meetings.agenda.hiddenTitle')}</span>;
  if (item.kind === 'action_review') return <>{t('meetings.agenda.actionReview')}：<span lang="ja">{item.title ?? t('meetings.agenda.hiddenTitle')}</span></>;
  return <>{item.label}{item.case && <>（{item.case.reference}）</>}</>;
}

/** What this viewer gets of the item: the case's summary, its pseudonym, or nothing. */
export function AgendaItemBody({ item, detail }: { item: AgendaItem; detail: MeetingSessionDetail }) {
  const { t } = useTranslation();
  if (item.view === 'hidden') return <p className="agenda__hidden">{t('meetings.agenda.hidden')}</p>;
  const c = item.case;
  if (c) {
    const passage: MeetingPassage = { meeting: { sessionId: detail.id, seriesName: detail.series.name, date: detail.date } };
    return (
      <div className="agenda__case" data-testid="agenda-case">
        <p className="agenda__person">
          <PersonNameText name={c.person.name} />
          {c.person.nameKana && <span className="candidate__kana" lang="ja">{c.person.nameKana}</span>}
          {' '}<CaseStatusBadge status={c.status} />
        </p>
        <Facts>
          <Fact label={t('meetings.agenda.ageBand')}><AgeBandText band={c.person.ageBand} /></Fact>
          <Fact label={t('meetings.agenda.issues')}><IssueTags tags={c.issueTags} /></Fact>
          <Fact label={t('cases.lead')}><OrgName org={c.lead} /></Fact>
          <Fact label={t('cases.lastContact')}>{c.lastContactAt ? <DateTimeText value={c.lastContactAt} /> : t('cases.noContact')}</Fact>
          {c.plan ? (
            <>
              <Fact label={t('meetings.agenda.planGoals', { n: c.plan.planNo })}>
                {c.plan.goals.length === 0 ? '—' : (
                  <ul className="plain-list plain-list--flush">{c.plan.goals.map((g, i) => <li key={i}>{t(`plan.goalKind.${g.kind}`)}：<span lang="ja">{g.text}</span></li>)}</ul>
                )}
              </Fact>
              <Fact label={t('plan.reviewDate')}><DateText value={c.plan.reviewDate} /></Fact>
              {c.plan.confirmedOn && <Fact label={t('meetings.agenda.confirmed')}><PlanConfirmed on={c.plan.confirmedOn} meeting={c.plan.confirmedIn} /></Fact>}
            </>
          ) : <Fact label={t('plan.title')}>{t('plan.empty')}</Fact>}
        </Facts>
        {c.canOpen && (
          <p className="no-print">
            <Link to={`/cases/${encodeURIComponent(c.id)}`} state={passage}>{t('meetings.agenda.openCase', { reference: c.reference })}</Link>
          </p>
        )}
      </div>
    );
  }
  if (item.pseudonym) {
    return (
      <div className="agenda__pseudonym" data-testid="agenda-pseudonym">
        <Facts>
          <Fact label={t('meetings.agenda.label')}>{item.pseudonym.label}</Fact>
          <Fact label={t('meetings.agenda.ageBand')}><AgeBandText band={item.pseudonym.ageBand} /></Fact>
          <Fact label={t('meetings.agenda.issues')}><IssueTags tags={item.pseudonym.issueTags} /></Fact>
        </Facts>
        <p className="section__hint">{pseudonymReason(t, detail)}</p>
      </div>
    );
  }
  return null;
}

function pseudonymReason(t: T, detail: MeetingSessionDetail): string {
  if (detail.viewer.mode === 'guest') return t('meetings.agenda.pseudonymGuest');
  if (detail.series.statutory && detail.viewer.needsAcknowledgement) return t('meetings.agenda.pseudonymAcknowledge');
  if (!detail.windowOpen) return t('meetings.agenda.pseudonymWindow');
  return detail.series.statutory ? t('meetings.agenda.pseudonymWindow') : t('meetings.agenda.pseudonymConsent');
}

/** 「令和8年5月12日 総合支援調整会議で確認」 */
export function PlanConfirmed({ on, meeting }: { on: string; meeting: string | null }) {
  const { t } = useTranslation();
  return <span data-testid="plan-confirmed"><DateText value={on} />{' '}{meeting ? t('meetings.plan.confirmedIn', { meeting }) : t('meetings.plan.confirmed')}</span>;
}

function ItemDecisions({ decisions }: { decisions: MeetingDecision[] }) {
  const { t } = useTranslation();
  if (decisions.length === 0) return null;
  return (
    <div className="agenda__decisions">
      <h4>{t('meetings.decisions.forItem')}</h4>
      <ul className="plain-list">{decisions.map((d) => <li key={d.id} lang="ja" className="prewrap">{d.text}</li>)}</ul>
    </div>
  );
}

/** 議事録 of one item: read by everyone who sees the item; written by the coordinator, version-checked. */
function ItemMinutes({ item, detail, coordinator, onChanged, onReload }: { item: AgendaItem; detail: MeetingSessionDetail; coordinator: boolean; onChanged(next: MeetingSessionDetail): void; onReload(): void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.minutes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState(false);
  const merge = useMerge<AgendaItem, { minutes: string }>({
    groups: [{ key: 'minutes', fields: ['minutes'] }],
    fieldsOf: (i) => ({ minutes: i.minutes ?? '' }),
    load: async () => {
      const latest = await meetingsApi.getSession(detail.id);
      const found = latest.agenda.find((i) => i.id === item.id);
      if (!found) throw new ApiError(404, 'agenda item');
      return found;
    },
  });
  const id = `minutes-${item.id}`;
  if (item.view === 'hidden' || (item.kind === 'case' && item.minutes === null && !coordinator)) return null;

  async function save(base: AgendaItem, minutes: string) {
    try {
      const next = await meetingsApi.recordMinutes(item.id, { version: base.version, minutes });
      merge.end();
      setEditing(false);
      setSaid(true);
      onChanged(next);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) await merge.begin({ minutes: base.minutes ?? '' }, { minutes });
      else throw e;
    }
  }
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await save(item, text);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 400 && e.fields.length > 0 ? e.fields.map((f) => f.message).join(' ') : t('errors.withMessage', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="agenda__minutes" data-testid="minutes">
      <h4 id={`${id}-heading`}>{t('meetings.minutes.title')}</h4>
      {!editing && (item.minutes ? <p className="prewrap" lang="ja">{item.minutes}</p> : <p className="empty">{t('meetings.minutes.none')}</p>)}
      <p role="status" className={said && !editing ? 'notice notice--done no-print' : 'no-print'}>{said && !editing ? t('meetings.minutes.saved') : ''}</p>
      {coordinator && !editing && (
        <button type="button" className="button button--secondary button--small no-print" aria-describedby={`agenda-${item.id}-title`}
          onClick={() => { setText(item.minutes ?? ''); setEditing(true); setSaid(false); requestAnimationFrame(() => document.getElementById(id)?.focus()); }}>
          {item.minutes ? t('meetings.minutes.edit') : t('meetings.minutes.write')}
        </button>
      )}
      {coordinator && editing && (
        <form className="inline-form no-print" onSubmit={onSubmit} noValidate aria-labelledby={`${id}-heading`}>
          {merge.conflict || merge.loadError !== null ? (
            <MergeView
              merge={merge} idPrefix={`${id}-merge`} label={() => t('meetings.minutes.title')}
              value={(_, v) => <p className="prewrap" lang="ja">{v.minutes || '—'}</p>}
              onMerge={(latest, merged) => save(latest, merged.minutes)}
              onDiscard={(latest) => { merge.end(); setEditing(false); setText(latest.minutes ?? ''); onReload(); }}
            />
          ) : (
            <>
              <FormField id={id} label={t('meetings.minutes.labelFor', { label: itemName(t, item) })} error={error ?? undefined}>
                {(control) => <textarea {...control} rows={6} lang="ja" maxLength={20000} value={text} onChange={(e) => setText(e.target.value)} />}
              </FormField>
              <div className="form-actions">
                <button type="submit" className="button" disabled={busy}>{busy ? t('form.saving') : t('meetings.minutes.save')}</button>
                <button type="button" className="button button--secondary" onClick={() => { setEditing(false); setError(null); }}>{t('rules.form.cancel')}</button>
              </div>
            </>
          )}
        </form>
      )}
    </div>
  );
}

/**
 * The coordinator's agenda tools: Tsunagu's proposals (plan reviews due,
 * overdue referrals, no contact, complex cases, overdue action items) to
 * accept all at once or one by one, and topics of their own.
 */
function AgendaEditor({ detail, onChanged }: { detail: MeetingSessionDetail; onChanged(next: MeetingSessionDetail): void }) {
  const { t } = useTranslation();
  const [noContactDays, setNoContactDays] = useState<number | undefined>(undefined);
  const [daysTyped, setDaysTyped] = useState(String(NO_CONTACT_DAYS));
  const [daysError, setDaysError] = useState<string | null>(null);
  const [proposals, reload] = useResource(`proposals:${detail.id}:${detail.version}:${noContactDays ?? ''}`, (signal) => meetingsApi.proposals(detail.id, noContactDays, signal));
  const action = useSessionAction(onChanged);
  const [topic, setTopic] = useState('');
  const [topicError, setTopicError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const open = proposals.status === 'ok' ? proposals.data.items.filter((p) => !p.onAgenda) : [];
  const toInput = (p: AgendaProposal): AgendaItemInput =>
    p.kind === 'action_review' && p.actionItemId
      ? { kind: 'action_review', actionItemId: p.actionItemId }
      : { kind: 'case', caseId: p.caseId!, reason: p.reason, ...(p.reasonDetail ? { reasonDetail: p.reasonDetail } : {}) };
  const add = async (items: AgendaItemInput[], message: string) => {
    setSaid(null);
    if (await action.run(() => meetingsApi.addAgendaItems(detail.id, items))) setSaid(message);
  };

  return (
    <div className="agenda-editor no-print" data-testid="agenda-editor">
      <h3>{t('meetings.agenda.proposals')}</h3>
      <p className="section__hint">{t('meetings.agenda.proposalsHint')}</p>
      <form className="filter" aria-label={t('meetings.agenda.noContactDays')} noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(daysTyped);
          if (!/^\d+$/.test(daysTyped.trim()) || n < 7 || n > 730) { setDaysError(t('meetings.agenda.noContactDaysRange')); return; }
          setDaysError(null);
          setNoContactDays(n);
        }}>
        <div className="filter__row">
          <FormField id="agenda-no-contact-days" label={t('meetings.agenda.noContactDays')} hint={t('meetings.agenda.noContactDaysHint')} error={daysError ?? undefined}>
            {(control) => <input {...control} type="number" inputMode="numeric" min={7} max={730} value={daysTyped} onChange={(e) => { setDaysTyped(e.target.value); setDaysError(null); }} />}
          </FormField>
          <button type="submit" className="button button--secondary">{t('meetings.agenda.propose')}</button>
        </div>
      </form>
      {proposals.status === 'loading' && <Loading />}
      {proposals.status === 'error' && <ErrorPanel error={proposals.error} onRetry={reload} />}
      {proposals.status === 'ok' && (proposals.data.items.length === 0 ? <p className="empty">{t('meetings.agenda.noProposals')}</p> : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="proposals">
              <caption className="visually-hidden">{t('meetings.agenda.proposals')}</caption>
              <thead><tr><th scope="col">{t('meetings.agenda.proposalWhat')}</th><th scope="col">{t('meetings.agenda.proposalWhy')}</th><th scope="col"><span className="visually-hidden">{t('meetings.agenda.add')}</span></th></tr></thead>
              <tbody>
                {proposals.data.items.map((p) => (
                  <tr key={`${p.kind}:${p.caseId ?? ''}:${p.actionItemId ?? ''}`}>
                    <td lang="ja">{p.kind === 'action_review' ? t('meetings.agenda.actionReviewOf', { label: p.reference }) : p.reference}</td>
                    <td><ReasonText reason={p.reason} detail={p.reasonDetail} /></td>
                    <td>
                      {p.onAgenda ? <Badge tone="active">{t('meetings.agenda.onAgenda')}</Badge> : (
                        <button type="button" className="button button--secondary button--small" disabled={action.busy}
                          aria-label={t('meetings.agenda.addOne', { what: p.reference })}
                          onClick={() => void add([toInput(p)], t('meetings.agenda.added', { count: 1 }))}>
                          {t('meetings.agenda.add')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {open.length > 0 && (
            <button type="button" className="button" disabled={action.busy} onClick={() => void add(open.map(toInput), t('meetings.agenda.added', { count: open.length }))}>
              {t('meetings.agenda.acceptAll', { count: open.length })}
            </button>
          )}
        </>
      ))}
      <form className="filter" aria-label={t('meetings.agenda.addTopic')} noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!topic.trim()) { setTopicError(t('meetings.agenda.topicRequired')); return; }
          setTopicError(null);
          void add([{ kind: 'topic', title: topic.trim() }], t('meetings.agenda.topicAdded')).then(() => setTopic(''));
        }}>
        <div className="filter__row">
          <FormField id="agenda-topic" label={t('meetings.agenda.topicTitle')} error={topicError ?? undefined}>
            {(control) => <input {...control} type="text" lang="ja" maxLength={200} value={topic} onChange={(e) => { setTopic(e.target.value); setTopicError(null); }} />}
          </FormField>
          <button type="submit" className="button button--secondary" disabled={action.busy}>{t('meetings.agenda.addTopic')}</button>
        </div>
      </form>
      <p role="status" className={said ? 'notice notice--done' : undefined}>{said}</p>
      {action.error && <p className="field__error" role="alert">{action.error}</p>}
      {action.conflict !== null && <ErrorPanel error={action.conflict} onRetry={() => { action.clear(); reload(); }} />}
    </div>
  );
}
