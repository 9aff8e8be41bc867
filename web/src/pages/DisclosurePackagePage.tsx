import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { ErrorSummary, FormField } from '../components/Form.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useCaseLabels } from '../cases/CaseParts.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { useSaid, type Saying } from '../cases/useSaid.tsx';
import { useNameText } from '../network/Names.tsx';
import { useVocabulary } from '../network/NetworkProvider.tsx';
import { privacyApi } from '../privacy/requestsApi.ts';
import { CorrectionTable } from '../privacy/parts.tsx';
import type { DisclosurePackage, GroundCode, RedactionDecision, Release } from '../privacy/requestTypes.ts';
import type { Ref } from '../types.ts';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

/**
 * 保有個人情報開示資料: everything held about the person of a disclosure
 * request, as a document to print on A4 and hand over. Above it (not
 * printed), the redactions: what is withheld by default — whoever reported a
 * concern or consulted for the person, and other members of the household —
 * and free text the officer may withhold; each change needs a written reason,
 * and withholding needs its ground. Opening the package asks for the
 * authenticator code again and is recorded as an export; releasing it records
 * what was given (its digest and redactions), not a copy.
 */
export function DisclosurePackagePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [revision, setRevision] = useState(0);
  const [resource, reload] = useResource(`package:${id}:${revision}`, (signal) => privacyApi.getPackage(id, signal));
  usePageTitle(t('privacy.package.title'));
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    const e = resource.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return <NotFound message={t('privacy.detail.notFound')} />;
    return <ErrorPanel error={e} onRetry={reload} />;
  }
  return <PackageView pkg={resource.data} onChanged={() => setRevision((n) => n + 1)} />;
}

function PackageView({ pkg, onChanged }: { pkg: DisclosurePackage; onChanged(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const [release, setRelease] = useState<Release | null>(null);
  const withheld = pkg.redactions.filter((d) => d.redacted);
  return (
    <article className="page">
      <div className="page__heading no-print">
        <p><Link to={`/privacy/requests/${encodeURIComponent(pkg.request.id)}`}>{t('privacy.package.back', { reference: pkg.request.reference })}</Link></p>
        <div className="page__actions">
          <PrintButton />
        </div>
      </div>
      {said}
      <RedactionPanel pkg={pkg} onChanged={(message) => { onChanged(); say(message); }} />
      <ReleasePanel pkg={pkg} release={release} onReleased={(r) => { setRelease(r); say((t) => t('privacy.package.released')); }} />
      <PackageDocument pkg={pkg} withheld={withheld} />
    </article>
  );
}

// ------------------------------------------------------------ redactions (not printed)

function RedactionPanel({ pkg, onChanged }: { pkg: DisclosurePackage; onChanged(message: Saying): void }) {
  const { t } = useTranslation();
  const byDefault = pkg.redactions.filter((d) => d.defaultRedacted);
  const optional = pkg.redactions.filter((d) => !d.defaultRedacted);
  return (
    <section className="section no-print" aria-labelledby="redactions-heading" data-testid="redaction-panel">
      <h2 id="redactions-heading">{t('privacy.package.redactions')}</h2>
      <p className="section__hint">{t('privacy.package.redactionsHint')}</p>
      {byDefault.length === 0
        ? <p className="empty">{t('privacy.package.noDefaultRedactions')}</p>
        : <RedactionList items={byDefault} requestId={pkg.request.id} onChanged={onChanged} />}
      {optional.length > 0 && (
        <details className="subsection">
          <summary>{t('privacy.package.optional', { count: optional.length })}</summary>
          <p className="section__hint">{t('privacy.package.optionalHint')}</p>
          <RedactionList items={optional} requestId={pkg.request.id} onChanged={onChanged} />
        </details>
      )}
    </section>
  );
}

function RedactionList({ items, requestId, onChanged }: { items: RedactionDecision[]; requestId: string; onChanged(message: Saying): void }) {
  return <ul className="records">{items.map((d) => <RedactionItem key={d.key} item={d} requestId={requestId} onChanged={onChanged} />)}</ul>;
}

function RedactionItem({ item: d, requestId, onChanged }: { item: RedactionDecision; requestId: string; onChanged(message: Saying): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const formId = `redaction-${d.key.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  return (
    <li className="record card redaction" data-testid="redaction" data-key={d.key}>
      <p>
        <span className={d.redacted ? 'badge badge--emergency' : 'badge badge--active'}>{d.redacted ? t('privacy.package.withheld') : t('privacy.package.disclosed')}</span>
        {' '}<span lang="ja">{d.label}</span>
      </p>
      {d.redacted && d.ground && <p className="factline"><span className="trail__label">{t('privacy.package.ground')}：</span><span lang="ja">{d.ground}</span></p>}
      {d.reason && <p className="factline"><span className="trail__label">{t('privacy.package.reason')}：</span><span lang="ja">{d.reason}</span>{d.decidedAt && <> （<DateTimeText value={d.decidedAt} />）</>}</p>}
      {!open
        ? (
          <button type="button" className="button button--secondary button--small" aria-expanded="false" aria-controls={formId}
            onClick={() => { setOpen(true); requestAnimationFrame(() => document.getElementById(`${formId}-reason`)?.focus()); }}>
            {d.redacted ? t('privacy.package.unredact') : t('privacy.package.redact')}
          </button>
        )
        : <RedactionForm id={formId} item={d} requestId={requestId} onCancel={() => setOpen(false)} onDone={() => { setOpen(false); onChanged((t) => (d.redacted ? t('privacy.package.unredacted') : t('privacy.package.redacted'))); }} />}
    </li>
  );
}

function RedactionForm({ id, item: d, requestId, onCancel, onDone }: { id: string; item: RedactionDecision; requestId: string; onCancel(): void; onDone(): void }) {
  const { t } = useTranslation();
  const redact = !d.redacted;
  const [reason, setReason] = useState('');
  const [ground, setGround] = useState<GroundCode | ''>(d.defaultGroundCode ?? '');
  const [saving, setSaving] = useState(false);
  const [grounds] = useResource('privacy-grounds', (signal) => privacyApi.grounds(signal));
  const form = useFormErrors((): FormErrors => {
    const e: FormErrors = {};
    if (redact && !ground) e.ground = t('privacy.errors.groundRequired');
    if (!reason.trim()) e.reason = t('privacy.errors.reasonRequired');
    return e;
  });
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      await privacyApi.setRedaction(requestId, { key: d.key, redacted: redact, reason: reason.trim(), ...(redact ? { ground: ground as GroundCode } : {}) });
      onDone();
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (['reason', 'ground'].includes(f.replace(/^\//, '')) ? f.replace(/^\//, '') : null));
    }
  }
  return (
    <form id={id} className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving}>
      <ErrorSummary errors={summaryOf(form.errors, ['ground', 'reason'], (k) => `${id}-${k}`)} general={form.general} attempt={form.attempt} />
      {redact && (
        <FormField id={`${id}-ground`} label={t('privacy.package.ground')} error={form.errors.ground} required>
          {(control) => (
            <select {...control} value={ground} onChange={(e) => { setGround(e.target.value as GroundCode | ''); form.clear('ground'); }}>
              <option value="">{t('form.choose')}</option>
              {grounds.status === 'ok' && grounds.data.items.map((g) => <option key={g.code} value={g.code} lang="ja">{g.text}</option>)}
            </select>
          )}
        </FormField>
      )}
      <FormField id={`${id}-reason`} label={redact ? t('privacy.package.redactReason') : t('privacy.package.unredactReason')} hint={redact ? undefined : t('privacy.package.unredactHint')} error={form.errors.reason} required>
        {(control) => <textarea {...control} lang="ja" rows={2} maxLength={1000} value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : redact ? t('privacy.package.redactSubmit') : t('privacy.package.unredactSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

function ReleasePanel({ pkg, release, onReleased }: { pkg: DisclosurePackage; release: Release | null; onReleased(r: Release): void }) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const decided = pkg.request.decision === 'full' || pkg.request.decision === 'partial';
  return (
    <section className="section no-print" aria-labelledby="release-heading">
      <h2 id="release-heading">{t('privacy.package.release')}</h2>
      <p className="section__hint">{decided ? t('privacy.package.releaseHint') : t('privacy.package.releaseNeedsDecision')}</p>
      {error !== null && <ErrorPanel error={error} />}
      {release
        ? <p className="notice notice--done" data-testid="release-record">{t('privacy.package.releaseRecord')}<DateTimeText value={release.releasedAt} /> <code className="digest">{release.contentSha256}</code></p>
        : (
          <button
            type="button" className="button" disabled={!decided || saving}
            onClick={async () => {
              setSaving(true);
              setError(null);
              try {
                onReleased((await privacyApi.release(pkg.request.id)).release);
              } catch (e) {
                setError(e);
              }
              setSaving(false);
            }}
          >
            {saving ? t('form.saving') : t('privacy.package.releaseSubmit')}
          </button>
        )}
    </section>
  );
}

// ------------------------------------------------------------ the document (printed)

/** A withheld value: a black bar and the number of its ground in the list at the end. */
function useWithheld(withheld: RedactionDecision[]) {
  const { t } = useTranslation();
  const index = new Map(withheld.map((d, i) => [d.key, i + 1]));
  return (rec: { redacted: Record<string, string> }, field: string, value: ReactNode): ReactNode => {
    const key = rec.redacted[field];
    if (key) return <span className="withheld" data-testid="withheld">{t('privacy.package.withheldMark', { n: index.get(key) ?? '' })}</span>;
    return value;
  };
}

function Dash() {
  return <span className="muted-text">—</span>;
}

const text = (v: string | null | undefined) => (v ? <span className="prewrap" lang="ja">{v}</span> : <Dash />);

function PackageDocument({ pkg, withheld }: { pkg: DisclosurePackage; withheld: RedactionDecision[] }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const { label } = useVocabulary();
  const names = useNameText();
  const w = useWithheld(withheld);
  const org = (o: Ref | null) => (o ? <span lang="ja">{names.org(o)}</span> : <Dash />);
  const caseRef = new Map(pkg.cases.map((c) => [c.id, c.reference]));
  const Section = ({ id, title, count, children }: { id: string; title: string; count: number; children: ReactNode }) => (
    <section className="doc-section" aria-labelledby={`doc-${id}`} data-testid={`doc-${id}`}>
      <h2 id={`doc-${id}`}>{title}</h2>
      {count === 0 ? <p className="empty">{t('privacy.package.none')}</p> : children}
    </section>
  );

  return (
    <div className="disclosure-doc" data-testid="disclosure-document">
      <header className="doc-header">
        <p className="doc-header__municipality" lang="ja">{pkg.municipality.name}</p>
        <h1>{t('privacy.package.title')}</h1>
        <Facts wide>
          <Fact label={t('privacy.package.request')}>{pkg.request.reference}（{t('privacy.package.receivedOn')}<DateText value={pkg.request.receivedOn} />）</Fact>
          {pkg.request.decision && <Fact label={t('privacy.detail.decision')}>{t(`privacy.decision.${pkg.request.decision as 'full'}`)}（<DateText value={pkg.request.decidedOn!} />）</Fact>}
          <Fact label={t('privacy.package.generatedAt')}><DateTimeText value={pkg.generatedAt} /></Fact>
        </Facts>
        <p className="doc-note">{t('privacy.package.note')}</p>
      </header>

      <Section id="persons" title={t('privacy.package.sections.persons')} count={pkg.persons.length}>
        {pkg.persons.map((p, i) => (
          <div key={p.id} className="doc-record">
            {i > 0 && <p className="doc-record__title">{t('privacy.package.mergedRecord')}</p>}
            <Facts wide>
              <Fact label={t('privacy.field.name')}>{text(p.name)}</Fact>
              <Fact label={t('privacy.field.nameKana')}>{text(p.nameKana)}</Fact>
              <Fact label={t('privacy.field.birthDate')}>{p.birthDate ? <DateText value={p.birthDate} /> : p.ageBand ? t('privacy.package.ageBand', p.ageBand) : <Dash />}</Fact>
              <Fact label={t('privacy.field.gender')}>{text(p.gender)}</Fact>
              <Fact label={t('privacy.field.phone')}>{text(p.phone)}</Fact>
              <Fact label={t('privacy.field.email')}>{text(p.email)}</Fact>
              <Fact label={t('privacy.field.address')}>{text(p.address)}{p.area && <span lang="ja">（{p.area}）</span>}</Fact>
              <Fact label={t('privacy.package.recordedAt')}><DateText value={p.createdAt} /></Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="households" title={t('privacy.package.sections.households')} count={pkg.households.length}>
        {pkg.households.map((h) => (
          <table key={h.id} className="table doc-table">
            <caption>{h.label ? <span lang="ja">{h.label}</span> : t('privacy.package.household')}</caption>
            <thead><tr><th scope="col">{t('household.relation')}</th><th scope="col">{t('privacy.field.name')}</th><th scope="col">{t('privacy.field.birthDate')}</th><th scope="col">{t('privacy.package.contact')}</th></tr></thead>
            <tbody>
              {h.members.map((m) => (
                <tr key={m.personId}>
                  <th scope="row" lang="ja">{m.relation}</th>
                  <td>{w(m, 'name', text(m.name))}</td>
                  <td>{w(m, 'birthDate', m.birthDate ? <DateText value={m.birthDate} /> : <Dash />)}</td>
                  <td>{w(m, 'phone', text(m.phone))} {w(m, 'address', m.address ? text(m.address) : null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </Section>

      <Section id="cases" title={t('privacy.package.sections.cases')} count={pkg.cases.length}>
        <table className="table doc-table">
          <thead><tr><th scope="col">{t('cases.reference')}</th><th scope="col">{t('cases.status')}</th><th scope="col">{t('cases.lead')}</th><th scope="col">{t('cases.openedAt')}</th><th scope="col">{t('privacy.package.closed')}</th><th scope="col">{t('privacy.package.participants')}</th></tr></thead>
          <tbody>
            {pkg.cases.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.reference}</th>
                <td>{labels.caseStatus(c.status)}</td>
                <td>{org(c.lead)}</td>
                <td><DateText value={c.openedAt} /></td>
                <td>{c.closedAt ? <><DateText value={c.closedAt} /> {text(c.closureReason)}</> : <Dash />}</td>
                <td>
                  <ul className="plain-list">
                    {c.participants.map((p) => (
                      <li key={p.organization.id}>{org(p.organization)}（{labels.participantRole(p.role)}、<DateText value={p.since} />{p.until && <>〜<DateText value={p.until} /></>}）</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="consultations" title={t('privacy.package.sections.consultations')} count={pkg.consultations.length}>
        {pkg.consultations.map((c) => (
          <div key={c.id} className="doc-record">
            <p className="doc-record__title">{t('privacy.package.consultation', { reference: c.reference })}</p>
            <Facts wide>
              <Fact label={t('consultation.receivedAt')}><DateTimeText value={c.receivedAt} />（{org(c.door)}、{label('channels', c.channel)}）</Fact>
              <Fact label={t('consultation.consulterRelation')}>{label('consulterRelations', c.consulterRelation)}</Fact>
              {(c.consulterDetail || c.redacted.consulterDetail) && <Fact label={t('consultation.consulterDetail')}>{w(c, 'consulterDetail', text(c.consulterDetail))}</Fact>}
              <Fact label={t('consultation.issueTags')}>{c.issueTags.length ? c.issueTags.map((x) => label('issueTags', x)).join('、') : <Dash />}</Fact>
              <Fact label={t('consultation.summary')}>{w(c, 'summary', text(c.summary))}</Fact>
              <Fact label={t('privacy.package.routing')}>
                <ol className="plain-list">{c.steps.map((s) => <li key={s.seq}><DateText value={s.at} /> {s.from && <>{org(s.from)} → </>}{org(s.to)}{s.reason && <>（<span lang="ja">{s.reason}</span>）</>}</li>)}</ol>
              </Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="concerns" title={t('privacy.package.sections.concernReports')} count={pkg.concernReports.length}>
        {pkg.concernReports.map((r) => (
          <div key={r.id} className="doc-record" data-testid="doc-concern">
            <Facts wide>
              <Fact label={t('privacy.package.receipt')}>{r.receiptCode}（<DateTimeText value={r.submittedAt} />）</Fact>
              <Fact label={t('privacy.package.reporter')}>
                {r.reporterAnonymous ? t('privacy.package.anonymous') : <>{w(r, 'reporterName', text(r.reporterName))} {w(r, 'reporterPhone', r.reporterPhone ? text(r.reporterPhone) : null)} {w(r, 'reporterEmail', r.reporterEmail ? text(r.reporterEmail) : null)}</>}
              </Fact>
              <Fact label={t('privacy.package.concern')}>{w(r, 'concern', text(r.concern))}</Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="contact-records" title={t('privacy.package.sections.contactRecords')} count={pkg.contactRecords.length}>
        <table className="table doc-table">
          <thead><tr><th scope="col">{t('privacy.package.when')}</th><th scope="col">{t('privacy.package.how')}</th><th scope="col">{t('privacy.package.byWhom')}</th><th scope="col">{t('privacy.package.content')}</th></tr></thead>
          <tbody>
            {pkg.contactRecords.map((c) => (
              <tr key={c.id}>
                <td><DateTimeText value={c.occurredAt} /><br />{c.caseId ? caseRef.get(c.caseId) : t('privacy.package.noCase')}</td>
                <td>{labels.contactKind(c.kind)}</td>
                <td>{org(c.organization)}<br /><span lang="ja">{c.staffName}</span></td>
                <td>{w(c, 'notes', text(c.notes))}{(c.nextStep || c.redacted.nextStep) && <p>{t('privacy.package.nextStep')}{w(c, 'nextStep', text(c.nextStep))}</p>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="assessments" title={t('privacy.package.sections.assessments')} count={pkg.assessments.length}>
        {pkg.assessments.map((a) => (
          <div key={a.id} className="doc-record">
            <p className="doc-record__title"><DateText value={a.assessedOn} />（{caseRef.get(a.caseId)}、{org(a.organization)}）</p>
            {a.redacted.areas ? w(a, 'areas', null) : (
              <ul className="plain-list">
                {Object.entries(a.areas ?? {}).map(([area, v]) => <li key={area}>{labels.lifeArea(area)}：<span lang="ja">{v.situation}</span>{v.needsSupport && t('privacy.package.needsSupport')}</li>)}
              </ul>
            )}
            {(a.summary || a.redacted.summary) && <p>{w(a, 'summary', text(a.summary))}</p>}
          </div>
        ))}
      </Section>

      <Section id="plans" title={t('privacy.package.sections.plans')} count={pkg.plans.length}>
        {pkg.plans.map((p) => (
          <div key={p.id} className="doc-record">
            <p className="doc-record__title">{t('privacy.package.plan', { n: p.planNo })}（{caseRef.get(p.caseId)}、<DateText value={p.createdAt} />）</p>
            <ul className="plain-list">{p.goals.map((g, i) => <li key={i} lang="ja">{g.text}</li>)}</ul>
            <ul className="plain-list">{p.actions.map((a) => <li key={a.seq}><span lang="ja">{a.description}</span>（{org(a.organization)}{a.dueDate && <>、<DateText value={a.dueDate} /></>}）</li>)}</ul>
            <p>{t('privacy.package.review')}<DateText value={p.reviewDate} />　{p.personAgreed ? t('privacy.package.agreed') : t('privacy.package.notAgreed')}</p>
          </div>
        ))}
      </Section>

      <Section id="consents" title={t('privacy.package.sections.consents')} count={pkg.consents.length}>
        <table className="table doc-table">
          <thead><tr><th scope="col">{t('consent.givenOn')}</th><th scope="col">{t('consent.organizations')}</th><th scope="col">{t('consent.scope')}</th><th scope="col">{t('privacy.package.withdrawn')}</th></tr></thead>
          <tbody>
            {pkg.consents.map((k) => (
              <tr key={k.id}>
                <td><DateText value={k.givenOn} />（{labels.consentMethod(k.method)}）</td>
                <td>{k.organizations.map((o) => names.org(o)).join('、')}</td>
                <td>{text(k.scope)}</td>
                <td>{k.withdrawnAt ? <><DateText value={k.withdrawnAt} /> {text(k.withdrawalNote)}</> : <Dash />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="referrals" title={t('privacy.package.sections.referrals')} count={pkg.referrals.length}>
        {pkg.referrals.map((r) => (
          <div key={r.id} className="doc-record">
            <p className="doc-record__title">{org(r.from)} → {org(r.to)}{r.program && <>（{names.program(r.program)}）</>}　<DateText value={r.sentAt} />　{labels.referralStatus(r.status)}</p>
            <Facts wide>
              <Fact label={t('privacy.package.referralReason')}>{w(r, 'reason', text(r.reason))}</Fact>
              <Fact label={t('privacy.package.shared')}>{w(r, 'sharedSummary', text(r.sharedSummary))}</Fact>
              <Fact label={t('privacy.package.history')}>
                <ol className="plain-list">{r.history.map((h, i) => <li key={i}><DateText value={h.at} /> {labels.referralStatus(h.status)}{(h.note || r.redacted[`history.${i}.note`]) && <>：{w(r, `history.${i}.note`, text(h.note))}</>}</li>)}</ol>
              </Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="recipients" title={t('privacy.package.sections.recipients')} count={pkg.recipients.length}>
        <p className="section__hint">{t('privacy.package.recipientsHint')}</p>
        <table className="table doc-table">
          <thead><tr><th scope="col">{t('privacy.package.recipient')}</th><th scope="col">{t('privacy.package.basis')}</th><th scope="col">{t('privacy.package.period')}</th></tr></thead>
          <tbody>
            {pkg.recipients.map((x, i) => (
              <tr key={i}>
                <th scope="row">{org(x.organization)}</th>
                <td>{t(`privacy.package.basisValue.${x.basis}`)}</td>
                <td><DateText value={x.since} />{x.until && <>〜<DateText value={x.until} /></>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="meetings" title={t('privacy.package.sections.meetings')} count={pkg.meetings.length}>
        {pkg.meetings.map((m, i) => (
          <div key={`${m.sessionId}:${m.caseId}:${i}`} className="doc-record">
            <p className="doc-record__title">{m.series}　<DateText value={m.date} />　{m.caseReference}</p>
            <Facts wide>
              <Fact label={t('privacy.package.minutes')}>{w(m, 'minutes', text(m.minutes))}</Fact>
              <Fact label={t('privacy.package.decisions')}>
                {m.decisions.length === 0 ? <Dash /> : <ol className="plain-list">{m.decisions.map((d, n) => <li key={n}>{w(m, `decisions.${n}.text`, text(d.text))}</li>)}</ol>}
              </Fact>
              <Fact label={t('privacy.package.actionItems')}>
                {m.actionItems.length === 0 ? <Dash /> : (
                  <ol className="plain-list">
                    {m.actionItems.map((a, n) => <li key={n}>{org(a.organization)}：{w(m, `actionItems.${n}.description`, text(a.description))}（<DateText value={a.dueOn} />{a.doneAt && <>、{t('privacy.package.done')} <DateText value={a.doneAt} /></>}）</li>)}
                  </ol>
                )}
              </Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="work-support" title={t('privacy.package.sections.workSupport')} count={pkg.workSupport.length}>
        {pkg.workSupport.map((x, i) => (
          <div key={`${x.caseId}:${i}`} className="doc-record">
            <p className="doc-record__title">{caseRef.get(x.caseId)}　{x.kind === 'preferences' ? t('privacy.package.workPreferences') : <>{x.placement}{x.organization && <>（{org(x.organization)}）</>}</>}　<DateText value={x.at} /></p>
            <Facts wide>
              <Fact label={t('privacy.package.content')}>{text(x.detail)}</Fact>
              <Fact label={t('privacy.package.notes')}>{w(x, 'notes', text(x.notes))}{(x.healthNotes || x.redacted.healthNotes) && <><br />{w(x, 'healthNotes', text(x.healthNotes))}</>}</Fact>
              {x.checkIns.length > 0 && (
                <Fact label={t('privacy.package.checkIns')}>
                  <ol className="plain-list">{x.checkIns.map((c) => <li key={c.months}>{t('privacy.package.checkInLine', { months: c.months })}：<DateText value={c.dueOn} />{c.doneOn && <>（<DateText value={c.doneOn} />、{c.stillWorking ? t('privacy.package.stillWorking') : t('privacy.package.notWorking')}）</>}</li>)}</ol>
                </Fact>
              )}
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="incidents" title={t('privacy.package.sections.incidents')} count={pkg.incidents.length}>
        {pkg.incidents.map((x) => (
          <div key={x.reference} className="doc-record">
            <p className="doc-record__title">{x.reference}　{x.title}　<DateText value={x.discoveredAt} /></p>
            <Facts wide>
              <Fact label={t('privacy.package.content')}>{text(x.description)}</Fact>
              <Fact label={t('privacy.package.notified')}>{x.notifiedOn ? <><DateText value={x.notifiedOn} />{x.notificationMethod && <>（{x.notificationMethod}）</>}</> : <Dash />}</Fact>
            </Facts>
          </div>
        ))}
      </Section>

      <Section id="timeline" title={t('privacy.package.sections.timeline')} count={pkg.timeline.length}>
        <table className="table doc-table">
          <thead><tr><th scope="col">{t('privacy.package.when')}</th><th scope="col">{t('privacy.package.what')}</th><th scope="col">{t('privacy.package.content')}</th></tr></thead>
          <tbody>
            {pkg.timeline.map((e) => (
              <tr key={`${e.caseId}:${e.seq}`}>
                <td><DateTimeText value={e.at} /><br />{caseRef.get(e.caseId)}</td>
                <td>{labels.timelineKind(e.kind)}{e.organization && <><br />{org(e.organization)}</>}</td>
                <td>{w(e, 'summary', text(e.summary))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="retention" title={t('privacy.package.sections.retention')} count={pkg.retention.policies.length + pkg.retention.holds.length}>
        {pkg.retention.policies.length > 0 && <p>{pkg.retention.policies.map((p) => t('privacy.package.policy', { what: t(`privacy.package.recordClass.${p.recordClass as 'case'}`), years: p.years })).join('　')}</p>}
        {pkg.retention.holds.map((h) => <p key={h.id}>{t('privacy.package.hold')}<DateText value={h.placedAt} />{h.releasedAt && <>〜<DateText value={h.releasedAt} /></>}：{text(h.reason)}</p>)}
      </Section>

      <Section id="requests" title={t('privacy.package.sections.requests')} count={pkg.privacyRequests.length + pkg.corrections.length + pkg.suspensions.length + pkg.releases.length}>
        <ul className="plain-list">
          {pkg.privacyRequests.map((q) => (
            <li key={q.id}>{q.reference} {t(`privacy.kind.${q.kind as 'disclosure'}`)}（{t('privacy.package.receivedOn')}<DateText value={q.receivedOn} />）{q.decision && <>：{t(`privacy.decision.${q.decision as 'full'}`)}（<DateText value={q.decidedOn!} />）</>}</li>
          ))}
          {pkg.suspensions.map((s) => <li key={s.id}>{t('privacy.suspensions.since')}<DateText value={s.suspendedOn} />{s.liftedOn && <>〜<DateText value={s.liftedOn} /></>}（{s.requestReference}）</li>)}
          {pkg.releases.map((r) => <li key={r.id}>{t('privacy.package.earlierRelease', { reference: r.requestReference, count: r.redactionCount })}<DateText value={r.releasedAt} /></li>)}
        </ul>
        {pkg.corrections.length > 0 && <CorrectionTable corrections={pkg.corrections} caption={t('privacy.corrections.title')} />}
      </Section>

      <Section id="access" title={t('privacy.package.sections.accessLog')} count={pkg.accessLog.length}>
        <p className="section__hint">{t('privacy.package.accessHint')}</p>
        <table className="table doc-table doc-table--small">
          <thead><tr><th scope="col">{t('privacy.package.when')}</th><th scope="col">{t('privacy.package.who')}</th><th scope="col">{t('privacy.package.operation')}</th></tr></thead>
          <tbody>
            {pkg.accessLog.map((a, i) => (
              <tr key={i}>
                <td><DateTimeText value={a.at} /></td>
                <td>{org(a.organization)}{a.actor && <> <span className="muted-text">{a.actor}</span></>}</td>
                <td>{t(`privacy.package.action.${actionGroup(a.action)}`)} <span className="muted-text">{a.action}</span>{a.outcome !== 'success' && <> （{a.outcome}）</>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <section className="doc-section" aria-labelledby="doc-withheld" data-testid="doc-withheld">
        <h2 id="doc-withheld">{t('privacy.package.sections.withheld')}</h2>
        {withheld.length === 0
          ? <p>{t('privacy.package.nothingWithheld')}</p>
          : (
            <table className="table doc-table">
              <thead><tr><th scope="col">{t('privacy.package.number')}</th><th scope="col">{t('privacy.package.item')}</th><th scope="col">{t('privacy.package.ground')}</th></tr></thead>
              <tbody>
                {withheld.map((d, i) => (
                  <tr key={d.key}><th scope="row">※{i + 1}</th><td lang="ja">{d.label}</td><td lang="ja">{d.ground}</td></tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
    </div>
  );
}

/** Audit actions grouped into what a person reads: read, list or search, change, export. */
function actionGroup(action: string): 'read' | 'search' | 'change' | 'export' | 'other' {
  if (action.startsWith('export.')) return 'export';
  if (/\.(search|list)$/.test(action)) return 'search';
  if (/\.(read|timeline|corrections)$/.test(action)) return 'read';
  if (/\.(create|open|update|record|send|status|merge|correct|withdraw|take_in|hold|release|register|decide|extend)$/.test(action) || /^referral\./.test(action)) return 'change';
  return 'other';
}
