import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { Disclosure } from '../cases/Disclosure.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { useSaid, type Saying } from '../cases/useSaid.tsx';
import { checkDate, japanToday } from '../lib/cases.ts';
import { changesToDraft, changesToInput, checkChanges, decisionNeedsReason, decisionsFor, mayExtend, type ChangeDraft } from '../lib/privacyRequests.ts';
import { privacyApi } from '../privacy/requestsApi.ts';
import { ChangeRows } from '../privacy/ChangeRows.tsx';
import { CorrectionTable, DeadlineBadge, useFieldLabel } from '../privacy/parts.tsx';
import type { Change, Decision, RequestDetail, Suspension } from '../privacy/requestTypes.ts';
import { useResource } from '../useResource.ts';
import { PersonLine } from './NewPrivacyRequestPage.tsx';
import { NotFound } from './NotFoundPage.tsx';

/**
 * One request (開示・訂正・利用停止の請求): what was asked and by whom, the
 * deadline in force, and the steps the officer records — the one extension,
 * the decision, carrying out a correction, lifting a suspension — with the
 * corrections, suspensions and releases that followed.
 */
export function PrivacyRequestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [resource, reload] = useResource(`privacy-request:${id}`, (signal) => privacyApi.getRequest(id, signal));
  usePageTitle(resource.status === 'ok' ? t('privacy.detail.title', { kind: t(`privacy.kind.${resource.data.kind}`), reference: resource.data.reference }) : null);
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    const e = resource.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return <NotFound message={t('privacy.detail.notFound')} />;
    return <ErrorPanel error={e} onRetry={reload} />;
  }
  return <RequestView key={resource.data.id} initial={resource.data} />;
}

function RequestView({ initial }: { initial: RequestDetail }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [r, setR] = useState(initial);
  const [said, say] = useSaid();
  const registered = (location.state as { registered?: string } | null)?.registered ?? null;
  const [notice] = useState(registered);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (registered) {
      requestAnimationFrame(() => noticeRef.current?.focus());
      navigate(location.pathname, { replace: true, state: null });
    }
  }, []);
  const fieldLabel = useFieldLabel();
  const today = japanToday(new Date());
  const changesText = (changes: Change[] | null) => (changes ?? []).map((c) => `${fieldLabel(c.field)}: ${c.value ?? t('privacy.corrections.none')}`).join(' ／ ');
  const done = (next: RequestDetail, message: Saying) => { setR(next); say(message); };

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('privacy.detail.title', { kind: t(`privacy.kind.${r.kind}`), reference: r.reference })} <DeadlineBadge request={r} /></h1>
        <div className="page__actions no-print">
          {r.kind === 'disclosure' && <Link className="button" to={`/privacy/requests/${encodeURIComponent(r.id)}/package`}>{t('privacy.detail.openPackage')}</Link>}
          <PrintButton />
        </div>
      </div>
      {notice && <p ref={noticeRef} tabIndex={-1} role="status" className="notice notice--done">{t('privacy.detail.registered', { reference: notice })}</p>}
      {said}

      <section className="section" aria-labelledby="request-facts-heading">
        <h2 id="request-facts-heading">{t('privacy.detail.request')}</h2>
        <Facts wide>
          <Fact label={t('privacy.detail.receivedOn')}><DateText value={r.receivedOn} /></Fact>
          <Fact label={t('privacy.detail.deadline')}><DateText value={r.deadline} /></Fact>
          {r.extendedTo && (
            <Fact label={t('privacy.detail.extended')}>
              <DateText value={r.extendedTo} />{t('privacy.detail.extendedOn')}<DateText value={r.extendedOn!} />）
              <span className="prewrap" lang="ja">{r.extensionReason}</span>
            </Fact>
          )}
          <Fact label={t('privacy.detail.due')}><DateText value={r.due} /> <DeadlineBadge request={r} /></Fact>
          <Fact label={t('privacy.detail.requester')}>{t(`privacy.relation.${r.requesterRelation}`)}{r.requesterName && <span lang="ja">（{r.requesterName}）</span>}</Fact>
          <Fact label={t('privacy.detail.identity')}><span lang="ja">{r.identityVerification}</span></Fact>
          <Fact label={t('privacy.detail.content')}><span className="prewrap" lang="ja">{r.content}</span></Fact>
          {r.requestedChanges && <Fact label={t('privacy.detail.requestedChanges')}><span lang="ja">{changesText(r.requestedChanges)}</span></Fact>}
        </Facts>
      </section>

      <section className="section" aria-labelledby="request-person-heading">
        <h2 id="request-person-heading">{t('privacy.detail.person')}</h2>
        {r.personDetail ? <PersonLine person={r.personDetail} /> : <p className="empty">{t('privacy.detail.personGone')}</p>}
      </section>

      <section className="section" aria-labelledby="request-decision-heading">
        <h2 id="request-decision-heading">{t('privacy.detail.decision')}</h2>
        {r.decision
          ? (
            <Facts wide>
              <Fact label={t('privacy.detail.decision')}><strong>{t(`privacy.decision.${r.decision}`)}</strong>{r.decidedLate && <> <Badge tone="emergency">{t('privacy.deadline.decidedLate')}</Badge></>}</Fact>
              <Fact label={t('privacy.detail.decidedOn')}><DateText value={r.decidedOn!} /></Fact>
              {r.decisionReason && <Fact label={t('privacy.detail.decisionReason')}><span className="prewrap" lang="ja">{r.decisionReason}</span></Fact>}
              {r.decidedChanges && <Fact label={t('privacy.detail.decidedChanges')}><span lang="ja">{changesText(r.decidedChanges)}</span></Fact>}
              {r.decision === 'correct' && (
                <Fact label={t('privacy.apply.title')}>
                  {r.correctionAppliedAt ? <DateTimeText value={r.correctionAppliedAt} /> : <span className="muted-text">{t('privacy.apply.notYet')}</span>}
                </Fact>
              )}
            </Facts>
          )
          : <p className="empty">{t('privacy.detail.undecided')}</p>}
        {!r.decision && mayExtend(r, today) && (
          <Disclosure id="extend-form" label={t('privacy.extend.title')}>
            {(close) => <ExtendForm request={r} onCancel={close} onDone={(next) => { close(); done(next, (t) => t('privacy.extend.done', { date: next.extendedTo })); }} />}
          </Disclosure>
        )}
        {!r.decision && (
          <Disclosure id="decide-form" label={t('privacy.decide.title')}>
            {(close) => <DecideForm request={r} onCancel={close} onDone={(next) => { close(); done(next, (t) => t('privacy.decide.done')); }} />}
          </Disclosure>
        )}
        {r.decision === 'correct' && !r.correctionAppliedAt && <ApplyCorrection request={r} onDone={(next) => done(next, (t) => t('privacy.apply.done'))} />}
      </section>

      {(r.kind === 'suspension' || r.suspensions.length > 0) && (
        <section className="section" aria-labelledby="request-suspensions-heading">
          <h2 id="request-suspensions-heading">{t('privacy.suspensions.title')}</h2>
          <p className="section__hint">{t('privacy.suspensions.hint')}</p>
          {r.suspensions.length === 0
            ? <p className="empty">{t('privacy.suspensions.empty')}</p>
            : <ul className="records">{r.suspensions.map((s) => <SuspensionItem key={s.id} suspension={s} onLifted={(next) => done(next, (t) => t('privacy.suspensions.done'))} />)}</ul>}
        </section>
      )}

      {(r.kind === 'correction' || r.corrections.length > 0) && (
        <section className="section" aria-labelledby="request-corrections-heading">
          <h2 id="request-corrections-heading">{t('privacy.corrections.title')}</h2>
          {r.corrections.length === 0 ? <p className="empty">{t('privacy.corrections.empty')}</p> : <CorrectionTable corrections={r.corrections} caption={t('privacy.corrections.title')} />}
        </section>
      )}

      {r.kind === 'disclosure' && (
        <section className="section" aria-labelledby="request-releases-heading">
          <h2 id="request-releases-heading">{t('privacy.releases.title')}</h2>
          {r.releases.length === 0
            ? <p className="empty">{t('privacy.releases.empty')}</p>
            : (
              <div className="table-wrap">
                <table className="table" data-testid="releases">
                  <thead><tr><th scope="col">{t('privacy.releases.at')}</th><th scope="col">{t('privacy.releases.by')}</th><th scope="col">{t('privacy.releases.withheld')}</th><th scope="col">{t('privacy.releases.digest')}</th></tr></thead>
                  <tbody>
                    {r.releases.map((x) => (
                      <tr key={x.id}>
                        <td><DateTimeText value={x.releasedAt} /></td>
                        <td>{x.releasedBy}</td>
                        <td>{t('privacy.releases.withheldCount', { count: x.redactions.filter((d) => d.redacted).length })}</td>
                        <td><code className="digest">{x.contentSha256}</code></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
        </section>
      )}
    </article>
  );
}

function ExtendForm({ request: r, onCancel, onDone }: { request: RequestDetail; onCancel(): void; onDone(next: RequestDetail): void }) {
  const { t } = useTranslation();
  const today = japanToday(new Date());
  const [reason, setReason] = useState('');
  const [on, setOn] = useState(today);
  const [saving, setSaving] = useState(false);
  const form = useFormErrors((): FormErrors => {
    const e: FormErrors = {};
    const d = checkDate(on, japanToday(new Date()), { notFuture: true });
    if (d && d !== 'datePast') e.extendedOn = t(`privacy.errors.${d}`);
    else if (on > r.deadline) e.extendedOn = t('privacy.errors.afterDeadline');
    if (!reason.trim()) e.reason = t('privacy.errors.reasonRequired');
    return e;
  });
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      onDone(await privacyApi.extend(r.id, { version: r.version, reason: reason.trim(), extendedOn: on }));
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (['reason', 'extendedOn'].includes(f.replace(/^\//, '')) ? f.replace(/^\//, '') : null));
    }
  }
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="extend-heading">
      <h3 id="extend-heading">{t('privacy.extend.title')}</h3>
      <p className="section__hint">{t('privacy.extend.hint')}</p>
      <ErrorSummary errors={summaryOf(form.errors, ['extendedOn', 'reason'], (k) => `extend-${k}`)} general={form.general} attempt={form.attempt} />
      <FormField id="extend-extendedOn" label={t('privacy.extend.on')} error={form.errors.extendedOn} required className="field--short">
        {(control) => <input {...control} type="date" value={on} max={today} onChange={(e) => { setOn(e.target.value); form.clear('extendedOn'); }} />}
      </FormField>
      <FormField id="extend-reason" label={t('privacy.extend.reason')} hint={t('privacy.extend.reasonHint')} error={form.errors.reason} required>
        {(control) => <textarea {...control} lang="ja" rows={3} maxLength={1000} value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('privacy.extend.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

function DecideForm({ request: r, onCancel, onDone }: { request: RequestDetail; onCancel(): void; onDone(next: RequestDetail): void }) {
  const { t } = useTranslation();
  const today = japanToday(new Date());
  const [decision, setDecision] = useState<Decision | ''>('');
  const [on, setOn] = useState(today);
  const [reason, setReason] = useState('');
  const [changes, setChanges] = useState<ChangeDraft[]>(() => changesToDraft(r.requestedChanges));
  const [saving, setSaving] = useState(false);
  const form = useFormErrors((): FormErrors => {
    const e: FormErrors = {};
    if (!decision) e.decision = t('privacy.errors.decisionRequired');
    const d = checkDate(on, japanToday(new Date()), { notFuture: true });
    if (d && d !== 'datePast') e.decidedOn = t(`privacy.errors.${d}`);
    else if (on < r.receivedOn) e.decidedOn = t('privacy.errors.beforeReceived');
    if (decisionNeedsReason(decision) && !reason.trim()) e.reason = t('privacy.errors.refusalReason');
    if (decision === 'correct')
      for (const [k, c] of Object.entries(checkChanges(changes, japanToday(new Date())))) e[k] = t(`privacy.errors.${c}`);
    return e;
  });
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      onDone(await privacyApi.decide(r.id, {
        version: r.version, decision: decision as Decision, decidedOn: on, reason: reason.trim() || null,
        ...(decision === 'correct' ? { changes: changesToInput(changes) } : {}),
      }));
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => {
        const k = f.replace(/^\//, '');
        return k.startsWith('changes') ? 'changes' : ['decision', 'decidedOn', 'reason'].includes(k) ? k : null;
      });
    }
  }
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="decide-heading">
      <h3 id="decide-heading">{t('privacy.decide.title')}</h3>
      <ErrorSummary
        errors={summaryOf(form.errors, ['decision', 'decidedOn', 'reason', 'changes'], (k) => (k.startsWith('change-') ? k : `decide-${k}`))}
        general={form.general} attempt={form.attempt}
      />
      <ChoiceGroup id="decide-decision" label={t('privacy.decide.decision')} error={form.errors.decision} required className="choices--inline">
        {decisionsFor(r.kind).map((d) => (
          <Choice key={d} type="radio" name="decide-decision" value={d} checked={decision === d} onChange={() => { setDecision(d); form.clear('decision'); }} label={t(`privacy.decision.${d}`)} />
        ))}
      </ChoiceGroup>
      {decision === 'suspend' && <p className="notice">{t('privacy.decide.suspendNote')}</p>}
      <FormField id="decide-decidedOn" label={t('privacy.decide.on')} error={form.errors.decidedOn} required className="field--short">
        {(control) => <input {...control} type="date" value={on} max={today} onChange={(e) => { setOn(e.target.value); form.clear('decidedOn'); }} />}
      </FormField>
      <FormField id="decide-reason" label={t('privacy.decide.reason')} hint={t('privacy.decide.reasonHint')} error={form.errors.reason} required={decisionNeedsReason(decision)}>
        {(control) => <textarea {...control} lang="ja" rows={3} maxLength={4000} value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }} />}
      </FormField>
      {decision === 'correct' && (
        <ChangeRows
          idPrefix="decide" legend={t('privacy.decide.changes')} hint={t('privacy.decide.changesHint')} changes={changes} errors={form.errors}
          onChange={(c) => { setChanges(c); form.clear(...Object.keys(form.errors).filter((k) => k.startsWith('change'))); }}
        />
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('privacy.decide.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

function ApplyCorrection({ request: r, onDone }: { request: RequestDetail; onDone(next: RequestDetail): void }) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="inline-form no-print">
      <h3>{t('privacy.apply.title')}</h3>
      <p className="section__hint">{t('privacy.apply.hint')}</p>
      {error !== null && <ErrorPanel error={error} />}
      <button
        type="button" className="button" disabled={saving}
        onClick={async () => {
          setSaving(true);
          setError(null);
          try {
            onDone(await privacyApi.applyCorrection(r.id, r.version));
          } catch (e) {
            setError(e);
            setSaving(false);
          }
        }}
      >
        {saving ? t('form.saving') : t('privacy.apply.submit')}
      </button>
    </div>
  );
}

function SuspensionItem({ suspension: s, onLifted }: { suspension: Suspension; onLifted(next: RequestDetail): void }) {
  const { t } = useTranslation();
  const active = !s.liftedAt;
  return (
    <li className="record card" data-testid="suspension">
      <p>
        {active ? <Badge tone="emergency">{t('privacy.suspensions.activeBadge')}</Badge> : <Badge tone="ended">{t('privacy.suspensions.liftedBadge')}</Badge>}
        {' '}{t('privacy.suspensions.since')}<DateText value={s.suspendedOn} />（{s.requestReference}）
      </p>
      {!active && (
        <p>{t('privacy.suspensions.liftedOn')}<DateText value={s.liftedOn!} /> <span className="prewrap" lang="ja">{s.liftReason}</span></p>
      )}
      {active && (
        <Disclosure id={`lift-${s.id}`} label={t('privacy.suspensions.lift')}>
          {(close) => <LiftForm suspension={s} onCancel={close} onDone={(next) => { close(); onLifted(next); }} />}
        </Disclosure>
      )}
    </li>
  );
}

function LiftForm({ suspension: s, onCancel, onDone }: { suspension: Suspension; onCancel(): void; onDone(next: RequestDetail): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const id = `lift-${s.id}`;
  const form = useFormErrors((): FormErrors => (reason.trim() ? {} : { reason: t('privacy.errors.reasonRequired') }));
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      onDone(await privacyApi.liftSuspension(s.id, { reason: reason.trim() }));
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (f.replace(/^\//, '') === 'reason' ? 'reason' : null));
    }
  }
  return (
    <form className="inline-form inline-form--danger" onSubmit={onSubmit} noValidate aria-busy={saving}>
      <ErrorSummary errors={summaryOf(form.errors, ['reason'], () => `${id}-reason`)} general={form.general} attempt={form.attempt} />
      <FormField id={`${id}-reason`} label={t('privacy.suspensions.liftReason')} hint={t('privacy.suspensions.liftHint')} error={form.errors.reason} required>
        {(control) => <textarea {...control} lang="ja" rows={3} maxLength={1000} value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={saving}>{saving ? t('form.saving') : t('privacy.suspensions.liftSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}
