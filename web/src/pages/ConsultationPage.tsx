import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { isHub, mayWorkWithCases } from '../access.ts';
import { Fact, Facts } from '../components/Facts.tsx';
import { ErrorSummary, FormField, useRecheckOnLanguageChange } from '../components/Form.tsx';
import { MergeView, useMerge } from '../components/MergeView.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { SensitiveNote } from '../components/SensitiveNote.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import {
  ConsultationBadges, ConsultationFacts, ConsultationValue, consultationFieldLabel, DestinationName, Trail, type ConsultationValueField,
} from '../consultations/ConsultationParts.tsx';
import { IntakeFields } from '../consultations/IntakeFields.tsx';
import { intakeErrorsFromCodes, intakeErrorsFromServer, intakeSummary, useIntakeDraft } from '../consultations/intakeErrors.ts';
import { changedFields, checkDraft, draftFromRecord, draftToFields, INTAKE_MERGE_GROUPS, recordedFields } from '../lib/intake.ts';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { NearMissList, Path, SuggestionItem, UndecidedList } from '../routing/RoutingViews.tsx';
import { useSignedInSession } from '../session.tsx';
import type { ConsultationDetail, IntakeFields as RecordedFields, RouteSuggestion } from '../types.ts';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

/** What the page says happened, passed on from the intake form or set by an action here. */
export type ConsultationNotice =
  | { kind: 'recorded'; reference: string }
  | { kind: 'forwarded' | 'takenIn'; name: string }
  | { kind: 'saved' }
  /** The user's correction was discarded; the record is shown as it is now. */
  | { kind: 'reloaded' };

export function ConsultationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [resource, reload] = useResource(`consultation:${id}`, (signal) => api.getConsultation(id, signal));
  usePageTitle(resource.status === 'ok' ? t('consultation.titleWithReference', { reference: resource.data.reference }) : null);

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    const e = resource.error;
    if (e instanceof ApiError && (e.status === 404 || (e.status === 400 && e.fields.some((f) => f.field.replace(/^\//, '') === 'id')))) {
      return <NotFound message={t('detail.notFound')} />;
    }
    return <ErrorPanel error={e} onRetry={reload} />;
  }
  return <ConsultationView key={resource.data.id} initial={resource.data} />;
}

function ConsultationView({ initial }: { initial: ConsultationDetail }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [detail, setDetail] = useState(initial);
  const passedOn = (location.state as { notice?: ConsultationNotice } | null)?.notice ?? null;
  const [notice, setNotice] = useState<ConsultationNotice | null>(passedOn);
  const [noticeAt, setNoticeAt] = useState(passedOn ? 1 : 0);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // After the page's own focus handling, so the notice is what is read out.
    if (noticeAt > 0) requestAnimationFrame(() => noticeRef.current?.focus());
  }, [noticeAt]);
  useEffect(() => {
    // Said once: a reload of the page does not say it again.
    if (passedOn) navigate(location.pathname, { replace: true, state: null });
  }, []);

  const mine = detail.holder.id === session.organization.id;
  const mayAct = mine || isHub(session.role);

  function announce(next: ConsultationNotice) {
    setNotice(next);
    setNoticeAt((n) => n + 1);
  }

  return (
    <article className="page consultation">
      <nav aria-label={t('detail.breadcrumb')} className="breadcrumb no-print">
        <ol>
          <li><Link to="/consultations">{t('queue.title')}</Link></li>
          <li aria-current="page">{t('consultation.titleWithReference', { reference: detail.reference })}</li>
        </ol>
      </nav>
      <div className="page__heading">
        <h1>{t('consultation.titleWithReference', { reference: detail.reference })}</h1>
        <PrintButton />
      </div>
      <ConsultationBadges consultation={detail} status />
      <StatusLine detail={detail} />
      <SensitiveNote />
      <p ref={noticeRef} tabIndex={-1} role="status" className={notice ? 'notice notice--done' : undefined} data-testid="notice">
        {notice && <NoticeText notice={notice} />}
      </p>

      <section aria-labelledby="record-heading" className="section">
        <h2 id="record-heading">{t('detail.record')}</h2>
        <ConsultationFacts consultation={detail} />
      </section>

      {detail.reporter && (
        <section aria-labelledby="reporter-heading" className="section reporter">
          <h2 id="reporter-heading">{t('detail.reporter')}</h2>
          <p className="section__hint">{t('detail.reporterHint')}</p>
          <Facts wide>
            <Fact label={t('detail.receiptCode')}><span className="receipt-inline">{detail.reporter.receiptCode}</span></Fact>
            {detail.reporter.anonymous
              ? <Fact label={t('detail.anonymous')}>{t('detail.anonymousYes')}</Fact>
              : (
                <>
                  <Fact label={t('detail.name')}><span lang="ja">{detail.reporter.name ?? t('detail.notGiven')}</span></Fact>
                  <Fact label={t('detail.phone')}>
                    {detail.reporter.phone ? <a href={`tel:${detail.reporter.phone.replace(/[^\d+]/g, '')}`}>{detail.reporter.phone}</a> : t('detail.notGiven')}
                  </Fact>
                  <Fact label={t('detail.email')}>
                    {detail.reporter.email ? <a href={`mailto:${detail.reporter.email}`}>{detail.reporter.email}</a> : t('detail.notGiven')}
                  </Fact>
                </>
              )}
          </Facts>
        </section>
      )}

      <section aria-labelledby="trail-heading" className="section">
        <h2 id="trail-heading">{t('detail.trail')}</h2>
        <Trail steps={detail.steps} />
      </section>

      {(detail.caseId || (mayAct && mayWorkWithCases(session.role))) && <CaseSection detail={detail} />}

      {detail.status === 'triage' && (
        <RouteSection detail={detail} mayAct={mayAct} mine={mine} onRouted={setDetail} onReloaded={setDetail} announce={announce} />
      )}

      {mayAct && (
        <EditSection
          detail={detail}
          onSaved={(next) => { setDetail(next); announce({ kind: 'saved' }); }}
          onDiscarded={(latest) => { setDetail(latest); announce({ kind: 'reloaded' }); }}
        />
      )}
    </article>
  );
}

function NoticeText({ notice }: { notice: ConsultationNotice }) {
  const { t } = useTranslation();
  switch (notice.kind) {
    case 'recorded': return <>{t('intake.recorded', { reference: notice.reference })}</>;
    case 'forwarded': return <>{t('detail.forwarded', { name: notice.name })}</>;
    case 'takenIn': return <>{t('detail.takenIn', { name: notice.name })}</>;
    case 'saved': return <>{t('detail.saved')}</>;
    case 'reloaded': return <>{t('merge.reloaded')}</>;
  }
}

/**
 * 支援ケース: the case opened from this consultation, or 「ケースを開始する」
 * for the organisation holding it (or the hub) when the person needs
 * continuing support. Opening the case takes the consultation in.
 */
function CaseSection({ detail }: { detail: ConsultationDetail }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="case-heading" className="section">
      <h2 id="case-heading">{t('detail.caseSection')}</h2>
      {detail.caseId
        ? (
          <p data-testid="case-link">
            {t('detail.caseOpened')}
            <Link to={`/cases/${encodeURIComponent(detail.caseId)}`}>{t('detail.openCase')}</Link>
          </p>
        )
        : (
          <>
            <p className="section__hint">{t('detail.startCaseHint')}</p>
            <p className="no-print">
              <Link className="button" to={`/cases/new?consultation=${encodeURIComponent(detail.id)}`}>{t('detail.startCase')}</Link>
            </p>
          </>
        )}
    </section>
  );
}

/** 「福祉総合相談窓口で受理済み」 or 「地域支援課で振り分け待ち」. */
function StatusLine({ detail }: { detail: ConsultationDetail }) {
  const { t } = useTranslation();
  const names = useNameText();
  if (detail.status === 'routed') {
    const { organization, program } = detail.destination;
    const destination = [organization ? names.org(organization) : null, program ? names.program(program) : null].filter(Boolean).join(' ／ ');
    return <p className="status-line status-line--done" data-testid="status-line">{t('consultation.takenInAt', { destination })}</p>;
  }
  return <p className="status-line" data-testid="status-line">{t('consultation.waitingAt', { holder: names.org(detail.holder) })}</p>;
}

interface RouteSectionProps {
  detail: ConsultationDetail;
  mayAct: boolean;
  mine: boolean;
  onRouted(next: ConsultationDetail): void;
  onReloaded(next: ConsultationDetail): void;
  announce(notice: ConsultationNotice): void;
}

/** 振り分け: follow a suggestion (send on, or take in), or choose another destination with a reason. */
function RouteSection({ detail, mayAct, mine, onRouted, onReloaded, announce }: RouteSectionProps) {
  const { t } = useTranslation();
  const names = useNameText();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { suggestions, undecided, nearMisses } = detail.routing;

  async function reloadLatest() {
    try {
      onReloaded(await api.getConsultation(detail.id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }

  async function decide(key: string, body: Parameters<typeof api.routeConsultation>[1]) {
    if (busy) return;
    setBusy(key);
    setError(null);
    try {
      const next = await api.routeConsultation(detail.id, body);
      onRouted(next);
      const kind = next.status === 'routed' ? 'takenIn' : 'forwarded';
      announce({ kind, name: names.org(next.status === 'routed' ? next.destination.organization ?? next.holder : next.holder) });
      return true;
    } catch (e) {
      // A refused choice of another destination is shown beside its fields instead.
      if (key !== 'other' || !(e instanceof ApiError && e.status === 400)) setError(e);
      throw e;
    } finally {
      setBusy(null);
    }
  }

  const actionLabel = (s: RouteSuggestion) =>
    s.takesIn
      ? mine ? t('detail.takeIn') : t('detail.takeInAt', { holder: names.org(detail.holder) })
      : t('detail.sendTo', { name: names.org(s.nextHop) });

  return (
    <section aria-labelledby="route-heading" className="section">
      <h2 id="route-heading">{t('detail.route')}</h2>
      <p className="section__hint">{mayAct ? t('detail.routeHint') : t('detail.notYours', { holder: names.org(detail.holder) })}</p>
      {error !== null && (
        <ErrorPanel
          error={error}
          onRetry={error instanceof ApiError && error.status === 409 ? () => void reloadLatest() : undefined}
          retryLabel={t('errors.reloadLatest')}
        />
      )}
      <h3>{t('routing.suggestions')}</h3>
      {suggestions.length === 0
        ? <p className="empty">{t('routing.noSuggestions')}</p>
        : (
          <ul className="suggestions">
            {suggestions.map((s, i) => (
              <SuggestionItem
                key={s.ruleKey} level={4} first={i === 0} ruleKey={s.ruleKey} reason={s.reason} reasonEn={s.reasonEn} matched={s.matched}
                destination={<DestinationName organization={s.destination.organization} program={s.destination.program} />}
                path={s.via.length > 0 ? <SuggestionPath suggestion={s} /> : undefined}
              >
                {mayAct && (
                  <p className="suggestion__action no-print">
                    <button
                      type="button" className="button" disabled={busy !== null}
                      onClick={() => void decide(s.ruleKey, { version: detail.version, ruleKey: s.ruleKey }).catch(() => {})}
                    >
                      {busy === s.ruleKey ? t('detail.sending') : actionLabel(s)}
                    </button>
                  </p>
                )}
              </SuggestionItem>
            ))}
          </ul>
        )}
      <UndecidedList items={undecided} level={3} />
      <NearMissList items={nearMisses} />
      {mayAct && <OtherDestination detail={detail} busy={busy !== null} decide={decide} />}
    </section>
  );
}

/** The whole path of a suggestion: the organisations it passes through, then where it ends. */
function SuggestionPath({ suggestion: s }: { suggestion: RouteSuggestion }) {
  const steps = [
    ...s.via.filter((o) => o.id !== s.destination.organization.id).map((o) => <OrgName key={o.id} org={o} />),
    <DestinationName key="destination" organization={s.destination.organization} program={s.destination.program} />,
  ];
  return <Path steps={steps} />;
}

interface OtherDestinationProps {
  detail: ConsultationDetail;
  busy: boolean;
  decide(key: string, body: Parameters<typeof api.routeConsultation>[1]): Promise<boolean | undefined>;
}

/** Another destination than the suggestions: an organisation or a program, and always why. */
function OtherDestination({ detail, busy, decide }: OtherDestinationProps) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const [destination, setDestination] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ destination?: string; reason?: string }>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const [checkedHere, setCheckedHere] = useState(false);
  const check = () => {
    const found: typeof errors = {};
    if (!destination) found.destination = t('detail.destinationRequired');
    if (reason.trim().length < 2) found.reason = t('detail.reasonRequired');
    return found;
  };
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setGeneral(null);
    const found = check();
    setErrors(found);
    setCheckedHere(true);
    if (found.destination || found.reason) {
      setAttempt((n) => n + 1);
      return;
    }
    const [kind, id] = destination.split(':') as ['org' | 'program', string];
    try {
      await decide('other', {
        version: detail.version, reason: reason.trim(), ...(kind === 'org' ? { organizationId: id } : { programId: id }),
      });
      setDestination('');
      setReason('');
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const server: typeof errors = {};
        const others: string[] = [];
        for (const f of error.fields) {
          if (/^(organizationId|programId)$/.test(f.field)) server.destination ??= f.message;
          else if (f.field === 'reason') server.reason ??= f.message;
          else others.push(f.message);
        }
        setCheckedHere(false);
        setErrors(server);
        setGeneral(others.length > 0 || error.fields.length === 0 ? [...others, errorMessage(t, error)].join(' ') : null);
        setAttempt((n) => n + 1);
      }
    }
  }

  const summary = [
    errors.destination ? { id: 'other-destination', message: errors.destination } : null,
    errors.reason ? { id: 'other-reason', message: errors.reason } : null,
  ].filter((e): e is { id: string; message: string } => e !== null);

  return (
    <form className="other-destination no-print" onSubmit={onSubmit} noValidate>
      <h3>{t('detail.other')}</h3>
      <p className="section__hint">{t('detail.otherHint')}</p>
      <ErrorSummary errors={summary} general={general} attempt={attempt} />
      <FormField id="other-destination" label={t('detail.otherDestination')} error={errors.destination} required>
        {(control) => (
          <select {...control} value={destination} onChange={(e) => setDestination(e.target.value)}>
            <option value="">{t('form.choose')}</option>
            <optgroup label={t('detail.organizations')}>
              {network.organizations.filter((o) => o.active).map((o) => (
                <option key={o.id} value={`org:${o.id}`}>{names.org(o)}</option>
              ))}
            </optgroup>
            <optgroup label={t('detail.programs')}>
              {network.programs.filter((p) => p.active && p.status === 'active').map((p) => (
                <option key={p.id} value={`program:${p.id}`}>{names.program(p)}</option>
              ))}
            </optgroup>
          </select>
        )}
      </FormField>
      <FormField id="other-reason" label={t('detail.otherReason')} error={errors.reason} required>
        {(control) => <textarea {...control} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </FormField>
      <button type="submit" className="button button--secondary" disabled={busy}>{t('detail.otherSubmit')}</button>
    </form>
  );
}

interface EditSectionProps {
  detail: ConsultationDetail;
  onSaved(next: ConsultationDetail): void;
  /** The user discarded their correction for the record as it is now. */
  onDiscarded(latest: ConsultationDetail): void;
}

/**
 * 記録内容の修正 (PATCH with the version read). When someone else saved
 * first, the fields that differ are shown side by side to merge (one
 * MergeView for every version-checked form), so nothing typed is lost unseen.
 */
function EditSection({ detail, onSaved, onDiscarded }: EditSectionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { draft, update, replace: setDraft, errors, setErrors } = useIntakeDraft(() => draftFromRecord(detail));
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [checkedHere, setCheckedHere] = useState(false);
  const merge = useMerge<ConsultationDetail, RecordedFields>({
    groups: INTAKE_MERGE_GROUPS, fieldsOf: recordedFields, load: () => api.getConsultation(detail.id),
  });
  // Reception (date, door) cannot be corrected here, so it is not checked either.
  const check = () => {
    const { receivedAt: _fixed, ...codes } = checkDraft(draft, new Date());
    return intakeErrorsFromCodes(t, codes);
  };
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  /** Saves the fields that differ from `base` over its version; someone saving first opens the merge. */
  async function save(base: ConsultationDetail, fields: RecordedFields) {
    const changes = changedFields(recordedFields(base), fields);
    if (Object.keys(changes).length === 0) return finish(base, onDiscarded);
    try {
      finish(await api.updateConsultation(detail.id, { version: base.version, ...changes }), onSaved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await merge.begin(recordedFields(base), fields);
      else throw error;
    }
  }

  function finish(record: ConsultationDetail, then: (record: ConsultationDetail) => void) {
    setDraft(draftFromRecord(record));
    merge.end();
    setOpen(false);
    then(record);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setGeneral(null);
    const found = check();
    setErrors(found);
    setCheckedHere(true);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    if (Object.keys(changedFields(recordedFields(detail), draftToFields(draft))).length === 0) {
      setGeneral(t('detail.noChanges'));
      setAttempt((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      await save(detail, draftToFields(draft));
    } catch (error) {
      const server = intakeErrorsFromServer(t, error);
      setCheckedHere(false);
      setErrors(server.fields);
      setGeneral(server.general);
      setAttempt((n) => n + 1);
    } finally {
      setSaving(false);
    }
  }

  function close() {
    setOpen(false);
    setDraft(draftFromRecord(detail));
    setErrors({});
    setGeneral(null);
    merge.end();
    headingRef.current?.focus();
  }

  const merging = merge.conflict !== null || merge.loadError !== null;
  return (
    <section aria-labelledby="edit-heading" className="section no-print">
      <h2 id="edit-heading" ref={headingRef} tabIndex={-1}>{t('detail.edit')}</h2>
      <p className="section__hint">{t('detail.editHint')}</p>
      {!open && (
        <button type="button" className="button button--secondary" aria-expanded="false" aria-controls="edit-form" onClick={() => setOpen(true)}>
          {t('detail.edit')}
        </button>
      )}
      {open && merging && (
        <MergeView
          merge={merge} idPrefix="edit-merge"
          label={(key) => consultationFieldLabel(t, key as ConsultationValueField)}
          value={(key, fields) => <ConsultationValue field={key as ConsultationValueField} values={fields} />}
          onMerge={save}
          onDiscard={(latest) => { finish(latest, onDiscarded); headingRef.current?.focus(); }}
        />
      )}
      {open && !merging && (
        <form id="edit-form" onSubmit={onSubmit} noValidate aria-busy={saving}>
          <ErrorSummary errors={intakeSummary(errors, 'edit')} general={general} attempt={attempt} />
          <IntakeFields draft={draft} onChange={update} errors={errors} idPrefix="edit" mode="edit" />
          <div className="form-actions">
            <button type="submit" className="button" disabled={saving}>{saving ? t('detail.editSaving') : t('detail.editSubmit')}</button>
            <button type="button" className="button button--secondary" onClick={close}>{t('rules.form.cancel')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
