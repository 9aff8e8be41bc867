import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { MarkedText, SubmissionView } from '../prefecture/ExpertParts.tsx';
import { expertApi, hitRanges } from '../prefecture/experts.ts';
import { useResource } from '../useResource.ts';

/**
 * 多職種専門チームに相談する: the case's hub or lead organisation writes the
 * background and questions for a conference ahead. What is sent carries a
 * case code and an age band, never the name; a text that still holds the
 * person's or a household member's name, kana, address or phone is refused,
 * and the places are marked here to rewrite.
 */
export function ExpertSubmitPage() {
  const { t } = useTranslation();
  const { id: caseId = '' } = useParams();
  usePageTitle(t('experts.submit.title'));
  const [conferences] = useResource('expert-conferences', (signal) => expertApi.conferences(signal));
  const [sent, reload] = useResource(`expert-submissions:${caseId}`, (signal) => expertApi.submissions({ caseId }, signal));
  const [conferenceId, setConferenceId] = useState('');
  const [background, setBackground] = useState('');
  const [questions, setQuestions] = useState<string[]>(['']);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const messagesFor = (field: string) => error?.fields.filter((f) => f.field === field).map((f) => f.message) ?? [];
  const fieldErrors = (field: string, text: string) => {
    const messages = messagesFor(field);
    if (messages.length === 0) return null;
    const ranges = hitRanges(messages);
    return (
      <div className="field-error" role="alert" data-testid={`expert-error-${field}`}>
        {ranges.length > 0 && <MarkedText text={text} ranges={ranges} />}
        <ul>{messages.map((m, i) => <li key={i}>{m}</li>)}</ul>
      </div>
    );
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await expertApi.submit({ conferenceId, caseId, background, questions });
      setDone(true);
      setBackground('');
      setQuestions(['']);
      reload();
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      else throw err;
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="page">
      <p className="no-print"><Link to={`/cases/${encodeURIComponent(caseId)}`}>{t('experts.submit.back')}</Link></p>
      <div className="page__heading"><h1>{t('experts.submit.title')}</h1></div>
      <p className="page__intro">{t('experts.submit.intro')}</p>
      {conferences.status === 'loading' && <Loading />}
      {conferences.status === 'error' && <ErrorPanel error={conferences.error} />}
      {conferences.status === 'ok' && (conferences.data.items.length === 0 ? <p className="empty">{t('experts.submit.noConference')}</p> : (
        <form className="form" onSubmit={(ev) => { ev.preventDefault(); void send(); }}>
          <label>
            {t('experts.conference')}
            <select required value={conferenceId} onChange={(ev) => setConferenceId(ev.target.value)} data-testid="expert-conference">
              <option value="">{t('experts.submit.choose')}</option>
              {conferences.data.items.map((c) => <option key={c.id} value={c.id}>{c.heldOnJa} {c.title}</option>)}
            </select>
          </label>
          {messagesFor('conferenceId').map((m, i) => <p key={i} className="field-error" role="alert">{m}</p>)}
          <label>
            {t('experts.background')}
            <textarea required rows={6} value={background} onChange={(ev) => setBackground(ev.target.value)} data-testid="expert-background" />
          </label>
          {fieldErrors('background', background)}
          {questions.map((q, i) => (
            <div key={i}>
              <label>
                {t('experts.question', { n: i + 1 })}
                <textarea required rows={3} value={q} onChange={(ev) => setQuestions((qs) => qs.map((x, j) => (j === i ? ev.target.value : x)))} data-testid={`expert-question-${i}`} />
              </label>
              {fieldErrors(`questions[${i}]`, q)}
            </div>
          ))}
          {questions.length < 10 && <button type="button" className="button button--secondary" onClick={() => setQuestions((qs) => [...qs, ''])}>{t('experts.submit.addQuestion')}</button>}
          {error && error.fields.length === 0 && <ErrorPanel error={error} />}
          {error && error.fields.length > 0 && <p className="notice notice--error" role="alert">{error.message}</p>}
          <p><button type="submit" className="button" disabled={busy} data-testid="expert-send">{t('experts.submit.send')}</button></p>
          {done && <p className="notice notice--done" role="status">{t('experts.submit.sent')}</p>}
        </form>
      ))}
      <section className="section" aria-labelledby="expert-sent-heading">
        <h2 id="expert-sent-heading">{t('experts.submit.sentList')}</h2>
        {sent.status === 'ok' && (sent.data.items.length === 0
          ? <p className="empty">{t('experts.submit.none')}</p>
          : sent.data.items.map((s) => <SubmissionView key={s.id} submission={s} />))}
        {sent.status === 'error' && <ErrorPanel error={sent.error} onRetry={reload} />}
      </section>
    </article>
  );
}
