import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Choice, ErrorSummary, FormField, type SummaryError } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { errorMessage } from '../components/Status.tsx';
import { japanDateTimeInputs } from '../lib/dates.ts';
import { japanInstant } from '../lib/privacy.ts';
import { privacyApi } from '../privacy/api.ts';

interface Draft {
  title: string; discoveredDate: string; discoveredTime: string; fromDate: string; fromTime: string; toDate: string; toTime: string;
  description: string; dataKinds: string; sensitiveData: boolean; financialHarmRisk: boolean; unauthorizedPurpose: boolean; personsCount: string;
}

/** Registers an incident (漏えい等); the municipality's privacy officers are alerted. */
export function NewIncidentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const now = japanDateTimeInputs(new Date());
  const [d, setD] = useState<Draft>({
    title: '', discoveredDate: now.date, discoveredTime: now.time, fromDate: '', fromTime: '', toDate: '', toTime: '', description: '', dataKinds: '',
    sensitiveData: false, financialHarmRisk: false, unauthorizedPurpose: false, personsCount: '',
  });
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());
  usePageTitle(t('incident.new'));
  const set = (k: keyof Draft) => (v: string | boolean) => setD({ ...d, [k]: v });
  const errorOf = (id: string) => errors.find((e) => e.id === id)?.message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: SummaryError[] = [];
    const discoveredAt = japanInstant(d.discoveredDate, d.discoveredTime);
    if (!d.title.trim()) found.push({ id: 'incident-title', message: t('incident.error.title') });
    if (!discoveredAt) found.push({ id: 'incident-discovered', message: t('incident.error.discovered') });
    if (!d.description.trim()) found.push({ id: 'incident-description', message: t('incident.error.description') });
    if (d.personsCount && !/^\d+$/.test(d.personsCount)) found.push({ id: 'incident-persons', message: t('incident.error.persons') });
    setErrors(found);
    setGeneral(null);
    setAttempt((n) => n + 1);
    if (found.length) return;
    setBusy(true);
    try {
      const created = await privacyApi.createIncident({
        title: d.title.trim(), discoveredAt: discoveredAt!, occurredFrom: japanInstant(d.fromDate, d.fromTime || '00:00'), occurredTo: japanInstant(d.toDate, d.toTime || '23:59'),
        description: d.description.trim(), dataKinds: d.dataKinds.split(/[、,\n]/).map((x) => x.trim()).filter(Boolean),
        sensitiveData: d.sensitiveData, financialHarmRisk: d.financialHarmRisk, unauthorizedPurpose: d.unauthorizedPurpose,
        personsCount: d.personsCount ? Number(d.personsCount) : null,
      }, key.current);
      navigate(`/incidents/${encodeURIComponent(created.id)}`);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.fields.length)
        setErrors(error.fields.map((f) => ({ id: `incident-${f.field === 'discoveredAt' ? 'discovered' : f.field === 'personsCount' ? 'persons' : f.field}`, message: f.message })));
      else setGeneral(errorMessage(t, error));
      setAttempt((n) => n + 1);
    }
  };

  return (
    <article className="page">
      <h1>{t('incident.new')}</h1>
      <p className="page__intro">{t('incident.newIntro')}</p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={errors} general={general} attempt={attempt} />
        <FormField id="incident-title" label={t('incident.titleField')} hint={t('incident.titleHint')} required error={errorOf('incident-title')}>
          {(c) => <input {...c} type="text" maxLength={200} value={d.title} onChange={(e) => set('title')(e.target.value)} />}
        </FormField>
        <FormField id="incident-discovered" label={t('incident.discoveredAt')} hint={t('incident.discoveredHint')} required error={errorOf('incident-discovered')}>
          {(c) => (
            <span className="field__row">
              <input {...c} type="date" value={d.discoveredDate} onChange={(e) => set('discoveredDate')(e.target.value)} />
              <input type="time" aria-label={t('incident.time')} value={d.discoveredTime} onChange={(e) => set('discoveredTime')(e.target.value)} />
            </span>
          )}
        </FormField>
        <FormField id="incident-occurredFrom" label={t('incident.occurredFrom')} error={errorOf('incident-occurredFrom')}>
          {(c) => <span className="field__row"><input {...c} type="date" value={d.fromDate} onChange={(e) => set('fromDate')(e.target.value)} /><input type="time" aria-label={t('incident.time')} value={d.fromTime} onChange={(e) => set('fromTime')(e.target.value)} /></span>}
        </FormField>
        <FormField id="incident-occurredTo" label={t('incident.occurredTo')} error={errorOf('incident-occurredTo')}>
          {(c) => <span className="field__row"><input {...c} type="date" value={d.toDate} onChange={(e) => set('toDate')(e.target.value)} /><input type="time" aria-label={t('incident.time')} value={d.toTime} onChange={(e) => set('toTime')(e.target.value)} /></span>}
        </FormField>
        <FormField id="incident-description" label={t('incident.description')} hint={t('incident.descriptionHint')} required error={errorOf('incident-description')}>
          {(c) => <textarea {...c} rows={5} maxLength={4000} value={d.description} onChange={(e) => set('description')(e.target.value)} />}
        </FormField>
        <FormField id="incident-dataKinds" label={t('incident.dataKinds')} hint={t('incident.dataKindsHint')} error={errorOf('incident-dataKinds')}>
          {(c) => <input {...c} type="text" value={d.dataKinds} onChange={(e) => set('dataKinds')(e.target.value)} />}
        </FormField>
        <FormField id="incident-persons" label={t('incident.personsCount')} hint={t('incident.personsCountHint')} error={errorOf('incident-persons')}>
          {(c) => <input {...c} type="text" inputMode="numeric" value={d.personsCount} onChange={(e) => set('personsCount')(e.target.value)} />}
        </FormField>
        <fieldset className="field choices">
          <legend>{t('incident.grounds')}</legend>
          <p className="field__hint">{t('incident.groundsHint')}</p>
          <Choice type="checkbox" name="sensitiveData" value="1" checked={d.sensitiveData} onChange={set('sensitiveData')} label={t('incident.sensitiveData')} />
          <Choice type="checkbox" name="financialHarmRisk" value="1" checked={d.financialHarmRisk} onChange={set('financialHarmRisk')} label={t('incident.financialHarmRisk')} />
          <Choice type="checkbox" name="unauthorizedPurpose" value="1" checked={d.unauthorizedPurpose} onChange={set('unauthorizedPurpose')} label={t('incident.unauthorizedPurpose')} />
        </fieldset>
        <button type="submit" className="button" disabled={busy}>{t('incident.register')}</button>
      </form>
    </article>
  );
}
