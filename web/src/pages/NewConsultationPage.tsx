import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api.ts';
import { isHub } from '../access.ts';
import { ErrorSummary, useRecheckOnLanguageChange } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { IntakeFields } from '../consultations/IntakeFields.tsx';
import { intakeErrorsFromCodes, intakeErrorsFromServer, intakeSummary, useIntakeDraft } from '../consultations/intakeErrors.ts';
import { LiveSuggestions } from '../consultations/LiveSuggestions.tsx';
import { DraftNotice } from '../drafts/DraftNotice.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { checkDraft, draftToNewConsultation, draftToRoutingIntake, emptyDraft } from '../lib/intake.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { ConsultationNotice } from './ConsultationPage.tsx';

const ID_PREFIX = 'intake';

/**
 * 相談受付: record a consultation as it is received, with live routing
 * suggestions beside the form. What is typed is kept as a draft in this tab
 * until it is recorded, and sent so that it is recorded exactly once.
 */
export function NewConsultationPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const { areasById } = useNetwork();
  const mayChooseDoor = isHub(session.role);
  const kept = useDraft('consultation-new', () => emptyDraft(new Date(), session.organization.id));
  const { draft, update, errors, setErrors } = useIntakeDraft(() => kept.value, [kept.value, kept.set]);
  const sending = useReliableSend({ drafted: true });
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [checkedHere, setCheckedHere] = useState(false);
  usePageTitle(t('intake.title'));
  useRecheckOnLanguageChange(checkedHere, () => setErrors(intakeErrorsFromCodes(t, checkDraft(draft, new Date()))));

  const intake = useMemo(() => draftToRoutingIntake(draft, (id) => areasById.get(id)?.key), [draft, areasById]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setGeneral(null);
    const found = intakeErrorsFromCodes(t, checkDraft(draft, new Date()));
    setErrors(found);
    setCheckedHere(true);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setSubmitting(true);
    const body = draftToNewConsultation(draft, mayChooseDoor);
    const sent = await sending.send(kept.key, (key) => api.recordConsultation(body, key));
    if (sent.ok) {
      kept.saved();
      const notice: ConsultationNotice = { kind: 'recorded', reference: sent.value.reference };
      navigate(`/consultations/${encodeURIComponent(sent.value.id)}`, { state: { notice } });
      return;
    }
    setSubmitting(false);
    if (sent.said) return;
    const server = intakeErrorsFromServer(t, sent.error);
    setCheckedHere(false);
    setErrors(server.fields);
    setGeneral(server.general);
    setAttempt((n) => n + 1);
  }

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('intake.title')}</h1>
      </div>
      <p className="page__intro">{t('intake.intro')}</p>
      <div className="intake-layout">
        <form className="intake-form" onSubmit={onSubmit} noValidate aria-busy={submitting}>
          <DraftNotice draft={kept} />
          <ErrorSummary errors={intakeSummary(errors, ID_PREFIX)} general={general} attempt={attempt} />
          <IntakeFields draft={draft} onChange={update} errors={errors} idPrefix={ID_PREFIX} mode="new" mayChooseDoor={mayChooseDoor} />
          {sending.status}
          <div className="form-actions">
            <button type="submit" className="button" disabled={submitting}>{submitting ? t('intake.submitting') : t('intake.submit')}</button>
          </div>
          <p className="visually-hidden" role="status">{submitting ? t('intake.submitting') : ''}</p>
        </form>
        <LiveSuggestions intake={intake} />
      </div>
    </article>
  );
}
