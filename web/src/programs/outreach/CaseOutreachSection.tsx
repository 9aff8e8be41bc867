import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { isHub } from '../../access.ts';
import { Badge } from '../../components/Badge.tsx';
import { DateText } from '../../components/DateText.tsx';
import { Fact, Facts } from '../../components/Facts.tsx';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../../components/Form.tsx';
import { ErrorPanel, errorMessage, Loading } from '../../components/Status.tsx';
import { Disclosure } from '../../cases/Disclosure.tsx';
import { checkReferralDraft, chosenConsent, consentsNaming, emptyReferralDraft, japanToday, legalBasisToInput, referralDraftToInput, referralFieldOf, type ReferralDraft } from '../../lib/cases.ts';
import { LegalBasisFields } from '../../referrals/LegalBasis.tsx';
import { servingOrganization } from '../../network/Names.tsx';
import { OrgName } from '../../network/Names.tsx';
import { useNetwork } from '../../network/NetworkProvider.tsx';
import { useSignedInSession } from '../../session.tsx';
import type { CaseDetail, Program } from '../../types.ts';
import { useResource } from '../../useResource.ts';
import { END_DESTINATIONS, OUTREACH_STAGES, outreachApi, type EnrolInput, VISIT_MET, VISIT_PLACES, type Enrolment, type OutreachStage, type Visit, type VisitInput } from './api.ts';

// echarts comes with the chart only, when a case has outreach visits to draw
const StageChart = lazy(() => import('./StageChart.tsx'));

/**
 * Outreach (アウトリーチ) on the case page: each enrolment with its plan, the
 * person's stage over the visits (chart and table), and for the organisations
 * that run the program a form to record a visit. Without the 要配慮 grant the
 * server leaves the visits' details and the stage out; this shows what came.
 */
export function CaseOutreachSection({ detail, onChanged }: { detail: CaseDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const [revision, setRevision] = useState(0);
  const session = useSignedInSession();
  const { network } = useNetwork();
  const [resource, reload] = useResource(`case-outreach:${detail.id}:${revision}`, (signal) => outreachApi.caseEnrolments(detail.id, signal));
  // an owning organisation (any of the owners) or the hub enrols, with full access to the case
  const enrolIn = detail.access === 'full' && detail.status !== 'closed'
    ? network.programs.filter((p) => p.kind === 'outreach' && p.active && (isHub(session.role) || p.owners.some((o) => o.id === session.organization.id))
      && !(resource.status === 'ok' && resource.data.items.some((e) => e.program.id === p.id && !e.ended)))
    : [];
  if (resource.status === 'ok' && resource.data.items.length === 0 && enrolIn.length === 0) return null;
  return (
    <section id="case-outreach" aria-labelledby="case-outreach-heading" className="section" tabIndex={-1}>
      <h2 id="case-outreach-heading">{t('outreach.caseTitle')}</h2>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && resource.data.items.map((e) => (
        <EnrolmentPanel key={e.id} detail={detail} enrolment={e} onRecorded={() => { setRevision((n) => n + 1); onChanged(); }} />
      ))}
      {enrolIn.length > 0 && (
        <Disclosure id="outreach-enrol-form" label={t('outreach.enrol')}>
          {(close) => <EnrolForm detail={detail} programs={enrolIn} onCancel={close} onSaved={() => { close(); setRevision((n) => n + 1); onChanged(); }} />}
        </Disclosure>
      )}
    </section>
  );
}

function EnrolmentPanel({ detail, enrolment: e, onRecorded }: { detail: CaseDetail; enrolment: Enrolment; onRecorded(): void }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const { programsById } = useNetwork();
  const program = programsById.get(e.program.id);
  const runs = isHub(session.role) || !!program && [...program.owners, ...program.contractors].some((o) => o.id === session.organization.id);
  const [visits, reload] = useResource(`outreach-visits:${e.id}:${e.version}`, (signal) => outreachApi.visits(e.id, signal));
  const staged = visits.status === 'ok' ? visits.data.items.filter((v): v is Visit & { stage: OutreachStage } => !!v.stage) : [];
  return (
    <div className="outreach-enrolment" data-testid="outreach-enrolment">
      <h3>{e.program.name}</h3>
      <Facts wide>
        <Fact label={t('outreach.enrolledOn')}><DateText value={e.enrolledOn} /></Fact>
        <Fact label={t('outreach.interval')}>{t('outreach.everyDays', { count: e.plan.intervalDays })}</Fact>
        <Fact label={t('outreach.lastVisit')}>{e.lastVisitOn ? <DateText value={e.lastVisitOn} /> : t('outreach.noVisitYet')}</Fact>
        <Fact label={t('outreach.nextVisit')}>{e.plan.nextVisitOn ? <DateText value={e.plan.nextVisitOn} /> : '—'}</Fact>
        {e.stage && <Fact label={t('outreach.currentStage')}><span data-testid="outreach-current-stage">{t(`outreach.stage.${e.stage}`)}</span></Fact>}
        {e.overdue && <Fact label={t('outreach.due')}><Badge tone="urgent">{t('outreach.overdue')}</Badge></Fact>}
        {e.ended && <Fact label={t('outreach.ended')}>{t(`outreach.destination.${e.ended.destination}`)}</Fact>}
      </Facts>
      {visits.status === 'loading' && <Loading />}
      {visits.status === 'error' && <ErrorPanel error={visits.error} onRetry={reload} />}
      {staged.length > 0 && (
        <>
          <h4>{t('outreach.stageOverTime')}</h4>
          <Suspense fallback={<Loading />}><StageChart points={staged.map((v) => ({ date: v.visitedOn, stage: v.stage }))} /></Suspense>
        </>
      )}
      {visits.status === 'ok' && visits.data.items.length > 0 && (
        <table className="table" data-testid="outreach-visits">
          <caption>{t('outreach.visitsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outreach.visitedOn')}</th>
              <th scope="col">{t('outreach.met')}</th>
              <th scope="col">{t('outreach.stageLabel')}</th>
              <th scope="col">{t('outreach.whatHappened')}</th>
              <th scope="col">{t('outreach.recordedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {visits.data.items.map((v) => (
              <tr key={v.id}>
                <td><DateText value={v.visitedOn} /></td>
                <td>{v.met ? t(`outreach.metValue.${v.met}`) : '—'}</td>
                <td>{v.stage ? t(`outreach.stage.${v.stage}`) : '—'}</td>
                <td lang="ja">{v.whatHappened ?? '—'}</td>
                <td><OrgName org={v.organization} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs && !e.ended && (
        <Disclosure id={`outreach-visit-form-${e.id}`} label={t('outreach.recordVisit')}>
          {(close) => <VisitForm enrolment={e} onCancel={close} onSaved={() => { close(); onRecorded(); }} />}
        </Disclosure>
      )}
      {runs && !e.ended && detail.access === 'full' && (
        <Disclosure id={`outreach-end-form-${e.id}`} label={t('outreach.end')}>
          {(close) => <EndForm detail={detail} enrolment={e} onCancel={close} onSaved={() => { close(); onRecorded(); }} />}
        </Disclosure>
      )}
    </div>
  );
}

function VisitForm({ enrolment, onCancel, onSaved }: { enrolment: Enrolment; onCancel(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const [draft, setDraft] = useState({
    visitedOn: japanToday(new Date()), profession: '', durationMinutes: '30', place: 'door' as VisitInput['place'], met: 'family_only' as VisitInput['met'],
    whatHappened: '', stage: (enrolment.stage ?? 'no_contact') as OutreachStage, nextVisitOn: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof draft>(k: K, v: (typeof draft)[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const id = (k: string) => `outreach-${enrolment.id}-${k}`;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const found: Record<string, string> = {};
    if (!draft.visitedOn) found.visitedOn = t('outreach.error.visitedOn');
    if (!draft.profession.trim()) found.profession = t('outreach.error.profession');
    if (!draft.whatHappened.trim()) found.whatHappened = t('outreach.error.whatHappened');
    const minutes = Number(draft.durationMinutes);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) found.durationMinutes = t('outreach.error.duration');
    setErrors(found);
    setGeneral(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await outreachApi.recordVisit({
        enrolmentId: enrolment.id, visitedOn: draft.visitedOn, visitors: [{ organizationId: session.organization.id, profession: draft.profession.trim() }],
        durationMinutes: minutes, place: draft.place, met: draft.met, whatHappened: draft.whatHappened.trim(), stage: draft.stage, nextVisitOn: draft.nextVisitOn || null,
      });
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setGeneral(t('outreach.error.rejected', { message: err.message }));
      else setGeneral(errorMessage(t, err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const summary = Object.entries(errors).map(([field, message]) => ({ id: id(field), message }));
  return (
    <form onSubmit={submit} noValidate aria-label={t('outreach.recordVisit')}>
      <ErrorSummary errors={summary} general={general} attempt={attempt} />
      <FormField id={id('visitedOn')} label={t('outreach.visitedOn')} error={errors.visitedOn} required>
        {(p) => <input {...p} type="date" value={draft.visitedOn} onChange={(e) => set('visitedOn', e.target.value)} />}
      </FormField>
      <FormField id={id('profession')} label={t('outreach.profession')} hint={t('outreach.professionHint')} error={errors.profession} required>
        {(p) => <input {...p} type="text" maxLength={100} value={draft.profession} onChange={(e) => set('profession', e.target.value)} />}
      </FormField>
      <FormField id={id('durationMinutes')} label={t('outreach.duration')} error={errors.durationMinutes} required>
        {(p) => <input {...p} type="number" min={0} max={1440} value={draft.durationMinutes} onChange={(e) => set('durationMinutes', e.target.value)} />}
      </FormField>
      <ChoiceGroup id={id('place')} label={t('outreach.place')} required className="choices--inline">
        {VISIT_PLACES.map((k) => <Choice key={k} type="radio" name={id('place')} value={k} checked={draft.place === k} onChange={() => set('place', k)} label={t(`outreach.placeValue.${k}`)} />)}
      </ChoiceGroup>
      <ChoiceGroup id={id('met')} label={t('outreach.met')} required className="choices--inline">
        {VISIT_MET.map((k) => <Choice key={k} type="radio" name={id('met')} value={k} checked={draft.met === k} onChange={() => set('met', k)} label={t(`outreach.metValue.${k}`)} />)}
      </ChoiceGroup>
      <FormField id={id('whatHappened')} label={t('outreach.whatHappened')} error={errors.whatHappened} required>
        {(p) => <textarea {...p} rows={4} maxLength={4000} value={draft.whatHappened} onChange={(e) => set('whatHappened', e.target.value)} />}
      </FormField>
      <FormField id={id('stage')} label={t('outreach.stageLabel')} hint={t('outreach.stageHint')} required>
        {(p) => (
          <select {...p} value={draft.stage} onChange={(e) => set('stage', e.target.value as OutreachStage)}>
            {OUTREACH_STAGES.map((s) => <option key={s} value={s}>{t(`outreach.stage.${s}`)}</option>)}
          </select>
        )}
      </FormField>
      <FormField id={id('nextVisitOn')} label={t('outreach.nextVisit')}>
        {(p) => <input {...p} type="date" value={draft.nextVisitOn} onChange={(e) => set('nextVisitOn', e.target.value)} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>{t('outreach.saveVisit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('outreach.cancel')}</button>
      </div>
    </form>
  );
}

const BASIS_FIELDS = ['basis', 'consentId', 'meetingSessionId', 'meetingSeriesId', 'meetingDate', 'paragraph', 'basisReason'] as const;

/** Enrolment: the program, the legal basis (as for a referral, the commissioned station receiving), and the visit plan. */
function EnrolForm({ detail, programs, onCancel, onSaved }: { detail: CaseDetail; programs: Program[]; onCancel(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { vocabularies, organizationsById } = useNetwork();
  const today = japanToday(new Date());
  const [programId, setProgramId] = useState(programs[0]!.id);
  const [draft, setDraft] = useState<ReferralDraft>(() => emptyReferralDraft(today));
  const [intervalDays, setIntervalDays] = useState('14');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const program = programs.find((p) => p.id === programId) ?? programs[0]!;
  const receiver = servingOrganization(program, organizationsById);
  const spec = vocabularies.shareBases.find((b) => b.code === draft.basis);
  const consents = consentsNaming(detail.consents, receiver?.id ?? null);
  const consentId = chosenConsent(draft.consentId, consents);
  const id = (k: string) => `outreach-enrol-${k}`;
  const set = <K extends keyof ReferralDraft>(k: K, v: ReferralDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const resolved = { ...draft, consentId, destination: `program:${program.id}`, reason: '-', sharedSummary: '-' };
    const codes = checkReferralDraft(resolved, today, spec ?? null);
    const found: Record<string, string> = {};
    for (const f of BASIS_FIELDS) if (codes[f]) found[f] = t(`referral.errors.${codes[f]}`);
    const days = Number(intervalDays);
    if (!Number.isInteger(days) || days < 1 || days > 365) found.intervalDays = t('outreach.error.interval');
    setErrors(found);
    setGeneral(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length || !spec) return;
    setBusy(true);
    try {
      const input: EnrolInput = { caseId: detail.id, legalBasis: legalBasisToInput(resolved, spec), intervalDays: days };
      await outreachApi.enrol(program.id, input);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fields.length) {
        const byField: Record<string, string> = {};
        for (const f of err.fields) byField[referralFieldOf(f.field) ?? f.field] = f.message;
        setErrors(byField);
      } else setGeneral(errorMessage(t, err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('outreach.enrol')}>
      <ErrorSummary errors={Object.entries(errors).map(([k, message]) => ({ id: id(k), message }))} general={general} attempt={attempt} />
      <FormField id={id('program')} label={t('outreach.program')} required>
        {(p) => (
          <select {...p} value={program.id} onChange={(e) => setProgramId(e.target.value)}>
            {programs.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        )}
      </FormField>
      <LegalBasisFields caseId={detail.id} draft={{ ...draft, consentId }} spec={spec} receiver={receiver} consents={consents} consentId={consentId} errors={errors} id={id} set={set} />
      <FormField id={id('intervalDays')} label={t('outreach.intervalDays')} error={errors.intervalDays} required>
        {(p) => <input {...p} type="number" min={1} max={365} value={intervalDays} onChange={(e) => setIntervalDays(e.target.value)} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>{t('outreach.enrolSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('outreach.cancel')}</button>
      </div>
    </form>
  );
}

/**
 * Ending outreach: where the person went and, where it hands over, a referral
 * (sent by the server with the referral's own checks) to the organisation
 * that takes over.
 */
function EndForm({ detail, enrolment, onCancel, onSaved }: { detail: CaseDetail; enrolment: Enrolment; onCancel(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const { vocabularies, network, organizationsById } = useNetwork();
  const today = japanToday(new Date());
  const [destination, setDestination] = useState<(typeof END_DESTINATIONS)[number]>('medical');
  const [note, setNote] = useState('');
  const [handOver, setHandOver] = useState(false);
  const [draft, setDraft] = useState<ReferralDraft>(() => emptyReferralDraft(today));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const id = (k: string) => `outreach-end-${enrolment.id}-${k}`;
  const set = <K extends keyof ReferralDraft>(k: K, v: ReferralDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const receiver = draft.destination.startsWith('org:') ? organizationsById.get(draft.destination.slice(4)) : undefined;
  const spec = vocabularies.shareBases.find((b) => b.code === draft.basis);
  const consents = consentsNaming(detail.consents, receiver?.id ?? null);
  const consentId = chosenConsent(draft.consentId, consents);
  const organizations = network.organizations.filter((o) => o.active && o.id !== session.organization.id);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const resolved = { ...draft, consentId };
    const found: Record<string, string> = {};
    if (handOver) {
      if (destination === 'none') found.destination = t('outreach.error.handOverNone');
      const codes = checkReferralDraft(resolved, today, spec ?? null);
      for (const [k, c] of Object.entries(codes)) if (c) found[k] = t(`referral.errors.${c}`);
    }
    setErrors(found);
    setGeneral(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await outreachApi.end(enrolment.id, {
        version: enrolment.version, destination, ...(note.trim() ? { note: note.trim() } : {}),
        ...(handOver && spec ? { referral: referralDraftToInput(resolved, spec) } : {}),
      });
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fields.length) {
        const byField: Record<string, string> = {};
        for (const f of err.fields) byField[referralFieldOf(f.field.replace(/^\/?referral[./]/, '')) ?? f.field] = f.message;
        setErrors(byField);
      } else setGeneral(errorMessage(t, err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('outreach.end')}>
      <ErrorSummary errors={Object.entries(errors).map(([k, message]) => ({ id: id(k), message }))} general={general} attempt={attempt} />
      <ChoiceGroup id={id('destination')} label={t('outreach.wentTo')} error={errors.destination} required className="choices--inline">
        {END_DESTINATIONS.map((k) => <Choice key={k} type="radio" name={id('destination')} value={k} checked={destination === k} onChange={() => setDestination(k)} label={t(`outreach.destination.${k}`)} />)}
      </ChoiceGroup>
      <FormField id={id('note')} label={t('outreach.endNote')}>
        {(p) => <textarea {...p} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />}
      </FormField>
      <Choice type="checkbox" name={id('handOver')} value="yes" checked={handOver} onChange={setHandOver} label={t('outreach.handOver')} />
      {handOver && (
        <>
          <FormField id={id('destination-org')} label={t('outreach.handOverTo')} error={errors.destination} required>
            {(p) => (
              <select {...p} value={draft.destination} onChange={(e) => set('destination', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {organizations.map((o) => <option key={o.id} value={`org:${o.id}`}>{o.name}</option>)}
              </select>
            )}
          </FormField>
          <FormField id={id('reason')} label={t('referral.reason')} error={errors.reason} required>
            {(p) => <textarea {...p} lang="ja" rows={2} maxLength={1000} value={draft.reason} onChange={(e) => set('reason', e.target.value)} />}
          </FormField>
          <LegalBasisFields caseId={detail.id} draft={{ ...draft, consentId }} spec={spec} receiver={receiver} consents={consents} consentId={consentId} errors={errors} id={id} set={set} />
          <FormField id={id('sharedSummary')} label={t('referral.sharedSummary')} error={errors.sharedSummary} required>
            {(p) => <textarea {...p} lang="ja" rows={3} maxLength={4000} value={draft.sharedSummary} onChange={(e) => set('sharedSummary', e.target.value)} />}
          </FormField>
          <FormField id={id('firstContactDue')} label={t('referral.firstContactDue')} error={errors.firstContactDue} required>
            {(p) => <input {...p} type="date" value={draft.firstContactDue} onChange={(e) => set('firstContactDue', e.target.value)} />}
          </FormField>
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>{t('outreach.endSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('outreach.cancel')}</button>
      </div>
    </form>
  );
}
