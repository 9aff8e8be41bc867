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
import { checkDraft, draftToNewConsultation, draftToRoutingIntake, emptyDraft } from '../lib/intake.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { ConsultationNotice } from './ConsultationPage.tsx';

const ID_PREFIX = 'intake';

/** 相談受付: record a consultation as it is received, with live routing suggestions beside the form. */
export function NewConsultationPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const { areasById } = useNetwork();
  const mayChooseDoor = isHub(session.role);
  const { draft, update, errors, setErrors } = useIntakeDraft(() => emptyDraft(new Date(), session.organization.id));
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
    try {
      const created = await api.recordConsultation(draftToNewConsultation(draft, mayChooseDoor));
      const notice: ConsultationNotice = { kind: 'recorded', reference: created.reference };
      navigate(`/consultations/${encodeURIComponent(created.id)}`, { state: { notice } });
    } catch (error) {
      setSubmitting(false);
      const server = intakeErrorsFromServer(t, error);
      setCheckedHere(false);
      setErrors(server.fields);
      setGeneral(server.general);
      setAttempt((n) => n + 1);
    }
  }

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('intake.title')}</h1>
      </div>
      <p className="page__intro">{t('intake.intro')}</p>
      <div className="intake-layout">
        <form className="intake-form" onSubmit={onSubmit} noValidate aria-busy={submitting}>
          <ErrorSummary errors={intakeSummary(errors, ID_PREFIX)} general={general} attempt={attempt} />
          <IntakeFields draft={draft} onChange={update} errors={errors} idPrefix={ID_PREFIX} mode="new" mayChooseDoor={mayChooseDoor} />
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
