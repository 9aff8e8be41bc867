import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { DateText } from '../components/DateText.tsx';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel } from '../components/Status.tsx';
import { PersonNameText } from '../cases/CaseParts.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { useIdempotencyKey } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { japanToday } from '../lib/cases.ts';
import { changesToInput, checkRequestDraft, emptyRequestDraft, type ChangeDraft, type RequestDraft } from '../lib/privacyRequests.ts';
import { privacyApi, type UnlinkedRecord } from '../privacy/requestsApi.ts';
import { ChangeRows } from '../privacy/ChangeRows.tsx';
import { REQUEST_KINDS, REQUESTER_RELATIONS, type PrivacyPerson } from '../privacy/requestTypes.ts';

const ORDER = ['kind', 'personId', 'receivedOn', 'requesterRelation', 'requesterName', 'identityVerification', 'content', 'changes'];
const idOf = (key: string) => (key.startsWith('change-') ? key : `request-${key}`);

/**
 * 請求の受付: registers a request for disclosure, correction or suspension
 * of use as received. The deadline follows from the date received; the
 * person is found by name among all the municipality's records (each search
 * is audited), since the officer acts for the whole city.
 */
export function NewPrivacyRequestPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const today = japanToday(new Date());
  const [draft, setDraft] = useState<RequestDraft>(() => emptyRequestDraft(today));
  const [person, setPerson] = useState<PrivacyPerson | null>(null);
  const [saving, setSaving] = useState(false);
  const key = useIdempotencyKey();
  const sending = useReliableSend({ drafted: false });
  const form = useFormErrors((): FormErrors => {
    const codes = checkRequestDraft(draft, japanToday(new Date()));
    return Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, t(`privacy.errors.${c}`)]));
  });
  usePageTitle(t('privacy.new.title'));
  const set = <K extends keyof RequestDraft>(k: K, value: RequestDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: value }));
    form.clear(k);
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    const body = {
      kind: draft.kind as NonNullable<Exclude<RequestDraft['kind'], ''>>, personId: draft.personId, receivedOn: draft.receivedOn,
      requesterRelation: draft.requesterRelation as Exclude<RequestDraft['requesterRelation'], ''>,
      requesterName: draft.requesterRelation === 'self' ? null : draft.requesterName.trim(),
      identityVerification: draft.identityVerification.trim(), content: draft.content.trim(),
      ...(draft.kind === 'correction' ? { requestedChanges: changesToInput(draft.changes) } : {}),
    };
    const sent = await sending.send(key, (k) => privacyApi.registerRequest(body, k));
    if (sent.ok) {
      navigate(`/privacy/requests/${encodeURIComponent(sent.value.id)}`, { state: { registered: sent.value.reference } });
      return;
    }
    setSaving(false);
    if (!sent.said) form.fail(sent.error, (f) => {
      const field = f.replace(/^\//, '');
      if (field.startsWith('requestedChanges')) return 'changes';
      return ORDER.find((k) => field.startsWith(k)) ?? null;
    });
  }

  return (
    <article className="page">
      <div className="page__heading"><h1>{t('privacy.new.title')}</h1></div>
      <p className="page__intro">{t('privacy.new.intro')}</p>
      <form className="request-form" onSubmit={onSubmit} noValidate aria-busy={saving}>
        <ErrorSummary errors={summaryOf(form.errors, ORDER, idOf)} general={form.general} attempt={form.attempt} />
        <ChoiceGroup id="request-kind" label={t('privacy.new.kind')} error={form.errors.kind} required className="choices--inline">
          {REQUEST_KINDS.map((k) => (
            <Choice key={k} type="radio" name="request-kind" value={k} checked={draft.kind === k} onChange={() => set('kind', k)} label={t(`privacy.kind.${k}`)} />
          ))}
        </ChoiceGroup>

        <PersonPicker
          person={person} error={form.errors.personId}
          onPick={(p) => { setPerson(p); set('personId', p?.id ?? ''); }}
        />

        <FormField id="request-receivedOn" label={t('privacy.new.receivedOn')} hint={t('privacy.new.receivedOnHint')} error={form.errors.receivedOn} required className="field--short">
          {(control) => <input {...control} type="date" max={today} value={draft.receivedOn} onChange={(e) => set('receivedOn', e.target.value)} />}
        </FormField>
        <ChoiceGroup id="request-requesterRelation" label={t('privacy.new.relation')} error={form.errors.requesterRelation} required className="choices--inline">
          {REQUESTER_RELATIONS.map((r) => (
            <Choice key={r} type="radio" name="request-relation" value={r} checked={draft.requesterRelation === r} onChange={() => set('requesterRelation', r)} label={t(`privacy.relation.${r}`)} />
          ))}
        </ChoiceGroup>
        {draft.requesterRelation !== 'self' && (
          <FormField id="request-requesterName" label={t('privacy.new.requesterName')} error={form.errors.requesterName} required>
            {(control) => <input {...control} type="text" lang="ja" maxLength={100} autoComplete="off" value={draft.requesterName} onChange={(e) => set('requesterName', e.target.value)} />}
          </FormField>
        )}
        <FormField id="request-identityVerification" label={t('privacy.new.identity')} hint={t('privacy.new.identityHint')} error={form.errors.identityVerification} required>
          {(control) => <input {...control} type="text" lang="ja" maxLength={300} autoComplete="off" value={draft.identityVerification} onChange={(e) => set('identityVerification', e.target.value)} />}
        </FormField>
        <FormField id="request-content" label={t('privacy.new.content')} hint={t('privacy.new.contentHint')} error={form.errors.content} required>
          {(control) => <textarea {...control} lang="ja" rows={4} maxLength={4000} value={draft.content} onChange={(e) => set('content', e.target.value)} />}
        </FormField>
        {draft.kind === 'correction' && (
          <ChangeRows
            idPrefix="request" legend={t('privacy.new.changes')} hint={t('privacy.new.changesHint')} changes={draft.changes}
            errors={form.errors} onChange={(changes: ChangeDraft[]) => { set('changes', changes); form.clear(...Object.keys(form.errors).filter((k) => k.startsWith('change'))); }}
          />
        )}
        {sending.status}
        <div className="form-actions">
          <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('privacy.new.submit')}</button>
          <button type="button" className="button button--secondary" onClick={() => navigate('/privacy/requests')}>{t('rules.form.cancel')}</button>
        </div>
      </form>
    </article>
  );
}

/** Finds the person by name or reading and keeps the one chosen; the officer compares them with the identity document. */
function PersonPicker({ person, error, onPick }: { person: PrivacyPerson | null; error?: string; onPick(p: PrivacyPerson | null): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<{ status: 'idle' | 'loading' } | { status: 'ok'; items: PrivacyPerson[]; unlinked: UnlinkedRecord[] } | { status: 'error'; error: unknown }>({ status: 'idle' });
  const changeRef = useRef<HTMLButtonElement>(null);

  async function search() {
    const q = query.trim();
    if (!q) return;
    setState({ status: 'loading' });
    try {
      const found = await privacyApi.findPersons(q);
      setState({ status: 'ok', items: found.items, unlinked: found.unlinked ?? [] });
    } catch (e) {
      setState({ status: 'error', error: e });
    }
  }

  if (person) {
    return (
      <fieldset id="request-personId" className="field choices">
        <legend>{t('privacy.new.person')}</legend>
        <div className="person-box card" data-testid="chosen-person">
          <PersonLine person={person} />
          <button ref={changeRef} type="button" className="button button--secondary button--small" onClick={() => { onPick(null); requestAnimationFrame(() => document.getElementById('request-person-search')?.focus()); }}>
            {t('privacy.new.change')}
          </button>
        </div>
      </fieldset>
    );
  }
  return (
    <fieldset id="request-personId" className={error ? 'field field--invalid' : 'field'} aria-describedby={error ? 'request-personId-error' : undefined}>
      <legend>{t('privacy.new.person')}<span className="required-mark">{t('form.required')}</span></legend>
      <label htmlFor="request-person-search">{t('privacy.new.personSearch')}</label>
      <p id="request-person-search-hint" className="field__hint">{t('privacy.new.personSearchHint')}</p>
      <div className="filter__row">
        <input
          id="request-person-search" type="search" lang="ja" maxLength={100} autoComplete="off" value={query} aria-describedby="request-person-search-hint"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }}
        />
        <button type="button" className="button" onClick={() => void search()}>{t('privacy.new.search')}</button>
      </div>
      {error && <p id="request-personId-error" className="field__error">{error}</p>}
      <p role="status" className="filter__result">
        {state.status === 'loading' ? t('cases.search.searching') : state.status === 'ok' ? t('cases.search.results', { count: state.items.length }) : ''}
      </p>
      {state.status === 'error' && <ErrorPanel error={state.error} />}
      {state.status === 'ok' && state.unlinked.length > 0 && (
        <div className="notice" data-testid="privacy-unlinked">
          <p>{t('privacy.new.unlinked', { count: state.unlinked.length })}</p>
          <ul>
            {state.unlinked.map((u) => (
              <li key={u.id}><DateText value={u.recordedAt} />　{u.organization.name}（{t(`privacy.new.unlinkedMatch.${u.match}`)}）</li>
            ))}
          </ul>
        </div>
      )}
      {state.status === 'ok' && state.items.length > 0 && (
        <ul className="person-results" data-testid="privacy-person-results">
          {state.items.map((p) => (
            <li key={p.id} className="person-result">
              <PersonLine person={p} />
              <button type="button" className="button button--small" onClick={() => onPick(p)}>{t('privacy.new.choose')}</button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

export function PersonLine({ person: p }: { person: PrivacyPerson }) {
  const { t } = useTranslation();
  return (
    <p className="person-result__name">
      <strong><PersonNameText name={p.name} /></strong>
      {p.nameKana && <span className="candidate__kana" lang="ja">{p.nameKana}</span>}
      {p.birthDate && <span className="person-result__birth"><DateText value={p.birthDate} /></span>}
      {p.address && <span className="person-result__birth" lang="ja">{p.address}</span>}
      {p.caseReferences.length > 0 && <span className="person-result__birth muted-text">{t('privacy.new.cases', { list: p.caseReferences.join('、') })}</span>}
      {p.suspended && <span className="badge badge--emergency">{t('privacy.suspensions.activeBadge')}</span>}
    </p>
  );
}
