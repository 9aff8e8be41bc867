import { useMemo, useState, type FormEvent, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { isHub } from '../access.ts';
import { DateTimeText } from '../components/DateText.tsx';
import { Choice, ErrorSummary, FormField } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { BirthText, PersonNameText } from '../cases/CaseParts.tsx';
import { DuplicateCandidates } from '../cases/DuplicateCandidates.tsx';
import { HouseholdFields, memberErrors, memberKey } from '../cases/HouseholdFields.tsx';
import { PersonFields, personErrors, personFieldId } from '../cases/PersonFields.tsx';
import { summaryOf, useFormErrors } from '../cases/useFormErrors.ts';
import { japanToday } from '../lib/cases.ts';
import { AGE_BANDS } from '../lib/intake.ts';
import {
  caseFieldOf, checkMembers, checkPersonDraft, duplicateQuery, emptyPersonDraft, membersToInput, PERSON_FIELDS, personDraftToInput,
  type MemberDraft, type PersonDraft, type PersonField,
} from '../lib/person.ts';
import { DraftNotice } from '../drafts/DraftNotice.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { AgeBand, ConsultationDetail, NewCase, Person } from '../types.ts';
import { useResource } from '../useResource.ts';
import type { CaseNotice } from './CasePage.tsx';

const ID_PREFIX = 'case';
const EXCERPT = 160;

/** ケースを開始する: from a consultation (?consultation=<id>), or on its own. */
export function NewCasePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const consultationId = params.get('consultation');
  const [resource, reload] = useResource(`new-case:${consultationId ?? ''}`, (signal) =>
    consultationId ? api.getConsultation(consultationId, signal) : Promise.resolve(null));
  usePageTitle(t('newCase.title'));

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    return (
      <article className="page">
        <h1>{t('newCase.title')}</h1>
        <p>{t('newCase.consultationGone')}</p>
        <ErrorPanel error={resource.error} onRetry={reload} />
      </article>
    );
  }
  return <NewCaseForm key={consultationId ?? ''} consultation={resource.data} />;
}

/** The decade band of a known age (52 → 50代), to start the person's 年代 from the consultation. */
function bandOf(c: ConsultationDetail): AgeBand | null {
  if (c.ageBand) return c.ageBand;
  if (c.age === null) return null;
  return AGE_BANDS.find((b) => c.age! >= b.min && c.age! <= b.max) ?? null;
}

/** Everything the new-case form holds, kept as one draft. */
interface NewCaseDraft {
  person: PersonDraft;
  /** A person already registered, chosen from the duplicate check, instead of a new one. */
  chosen: Person | null;
  members: MemberDraft[];
  complex: boolean;
  lead: string;
}

/** ケースを開始する; kept as a draft in this tab (one per consultation) until the case is opened. */
function NewCaseForm({ consultation }: { consultation: ConsultationDetail | null }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const { network } = useNetwork();
  const names = useNameText();
  const hub = isHub(session.role);
  const kept = useDraft<NewCaseDraft>(`case-new:${consultation?.id ?? ''}`, () => ({
    person: emptyPersonDraft({ ageBand: consultation ? bandOf(consultation) : null, areaId: consultation?.areaId }),
    chosen: null, members: [], complex: false, lead: session.organization.id,
  }));
  const { person: draft, chosen, members, complex, lead } = kept.value;
  const change = <K extends keyof NewCaseDraft>(key: K) => (next: SetStateAction<NewCaseDraft[K]>) =>
    kept.set((d) => ({ ...d, [key]: typeof next === 'function' ? (next as (v: NewCaseDraft[K]) => NewCaseDraft[K])(d[key]) : next }));
  const setDraft = change('person');
  const setChosen = change('chosen');
  const setMembers = change('members');
  const setComplex = change('complex');
  const setLead = change('lead');
  const sending = useReliableSend({ drafted: true });
  const [submitting, setSubmitting] = useState(false);

  const check = () => {
    const today = japanToday(new Date());
    return {
      ...(chosen ? {} : personErrors(t, checkPersonDraft(draft, today))),
      ...memberErrors(t, checkMembers(members, today)),
    };
  };
  const form = useFormErrors(check);
  const query = useMemo(() => (chosen ? null : duplicateQuery(draft)), [chosen, draft]);

  const updatePerson = (change: (d: PersonDraft) => PersonDraft, fields: PersonField[]) => {
    setDraft(change);
    form.clear(...fields);
  };

  if (consultation?.caseId) {
    return (
      <article className="page">
        <h1>{t('newCase.title')}</h1>
        <p className="notice">{t('newCase.alreadyOpened')}</p>
        <p><Link to={`/cases/${encodeURIComponent(consultation.caseId)}`}>{t('detail.openCase')}</Link></p>
      </article>
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting || !form.validate()) return;
    const body: NewCase = {
      ...(chosen ? { personId: chosen.id } : { person: personDraftToInput(draft) }),
      ...(consultation ? { consultationIds: [consultation.id] } : {}),
      ...(hub && lead !== session.organization.id ? { leadOrganizationId: lead } : {}),
      complex,
      ...(members.length > 0 ? { household: { members: membersToInput(members) } } : {}),
    };
    setSubmitting(true);
    const sent = await sending.send(kept.key, (key) => api.openCase(body, key));
    if (sent.ok) {
      kept.saved();
      const notice: CaseNotice = { kind: 'opened', reference: sent.value.reference };
      navigate(`/cases/${encodeURIComponent(sent.value.id)}`, { state: { notice } });
      return;
    }
    setSubmitting(false);
    if (sent.said) return;
    if (sent.error instanceof ApiError && sent.error.status === 409) {
      form.say(t('newCase.alreadyOpened'));
      return;
    }
    form.fail(sent.error, (field) => {
      const at = caseFieldOf(field);
      if (!at) return null;
      if (at.kind === 'lead') return 'lead';
      if (at.kind === 'person') return chosen ? null : at.field;
      const row = members[at.index];
      return row ? memberKey(row.key, at.field) : null;
    });
  }

  const order = [...PERSON_FIELDS, ...members.flatMap((m) => [memberKey(m.key, 'relation'), memberKey(m.key, 'birthDate')]), 'lead'];
  const idOf = (key: string) => ((PERSON_FIELDS as readonly string[]).includes(key) ? personFieldId(ID_PREFIX, key as PersonField) : `${ID_PREFIX}-${key}`);

  return (
    <article className="page">
      <nav aria-label={t('detail.breadcrumb')} className="breadcrumb no-print">
        <ol>
          <li><Link to="/cases">{t('cases.title')}</Link></li>
          {consultation && (
            <li><Link to={`/consultations/${encodeURIComponent(consultation.id)}`}>{t('consultation.titleWithReference', { reference: consultation.reference })}</Link></li>
          )}
          <li aria-current="page">{t('newCase.title')}</li>
        </ol>
      </nav>
      <div className="page__heading">
        <h1>{t('newCase.title')}</h1>
      </div>
      <p className="page__intro">{t('newCase.intro')}</p>

      {consultation && (
        <section className="card from-consultation" aria-labelledby="from-consultation-heading">
          <h2 id="from-consultation-heading" className="card__title">{t('newCase.fromConsultation')}</h2>
          <p>
            <Link to={`/consultations/${encodeURIComponent(consultation.id)}`}>{t('consultation.titleWithReference', { reference: consultation.reference })}</Link>
            {' ・ '}<DateTimeText value={consultation.receivedAt} />
          </p>
          <p className="queue__summary" lang="ja">
            {consultation.summary.length > EXCERPT ? `${consultation.summary.slice(0, EXCERPT)}…` : consultation.summary}
          </p>
        </section>
      )}

      <form className="case-form" onSubmit={onSubmit} noValidate aria-busy={submitting}>
        <DraftNotice draft={kept} />
        <ErrorSummary errors={summaryOf(form.errors, order, idOf)} general={form.general} attempt={form.attempt} />

        <fieldset className="form-section">
          <legend>{t('newCase.personSection')}</legend>
          {chosen
            ? (
              <div className="chosen-person notice" data-testid="chosen-person">
                <p><strong>{t('newCase.chosen')}</strong></p>
                <p>
                  <PersonNameText name={chosen.name} />
                  {chosen.nameKana && <span className="candidate__kana" lang="ja">{chosen.nameKana}</span>}
                  {' ・ '}<BirthText birthDate={chosen.birthDate} ageBand={chosen.ageBand} />
                </p>
                <p className="section__hint">{t('newCase.chosenHint')}</p>
                <button
                  type="button" className="button button--secondary button--small"
                  onClick={() => { setChosen(null); requestAnimationFrame(() => document.getElementById(personFieldId(ID_PREFIX, 'name'))?.focus()); }}
                >
                  {t('newCase.unchoose')}
                </button>
              </div>
            )
            : (
              <PersonFields draft={draft} onChange={updatePerson} errors={form.errors} idPrefix={ID_PREFIX}>
                <DuplicateCandidates
                  query={query}
                  onChoose={(person) => {
                    setChosen(person);
                    form.reset();
                    requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="chosen-person"] button')?.focus());
                  }}
                />
              </PersonFields>
            )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('household.title')}</legend>
          <p className="section__hint">{t('household.hint')}</p>
          <HouseholdFields
            rows={members} idPrefix={ID_PREFIX} errors={form.errors}
            onChange={(rows, keys) => { setMembers(rows); form.clear(...keys); }}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('newCase.caseSection')}</legend>
          <div className="field">
            <Choice type="checkbox" name="case-complex" value="yes" checked={complex} onChange={setComplex} label={t('newCase.complex')} />
          </div>
          {hub
            ? (
              <FormField id={`${ID_PREFIX}-lead`} label={t('newCase.lead')} hint={t('newCase.leadHint')} error={form.errors.lead} className="field--medium">
                {(control) => (
                  <select {...control} value={lead} onChange={(e) => { setLead(e.target.value); form.clear('lead'); }}>
                    {network.organizations.filter((o) => o.active).map((o) => <option key={o.id} value={o.id}>{names.org(o)}</option>)}
                  </select>
                )}
              </FormField>
            )
            : (
              <div className="field">
                <p className="field__label">{t('newCase.lead')}</p>
                <p className="field__static">{names.org(session.organization)}</p>
              </div>
            )}
        </fieldset>

        {sending.status}
        <div className="form-actions">
          <button type="submit" className="button" disabled={submitting}>{submitting ? t('newCase.submitting') : t('newCase.submit')}</button>
        </div>
        <p className="visually-hidden" role="status">{submitting ? t('newCase.submitting') : ''}</p>
      </form>
    </article>
  );
}
