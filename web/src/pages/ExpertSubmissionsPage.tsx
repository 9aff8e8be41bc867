import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { SubmissionView } from '../prefecture/ExpertParts.tsx';
import { expertApi, type ExpertSubmission } from '../prefecture/experts.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

/** The submissions of the conferences a member sits on (the centre: of one conference), with the member's advice form per question. */
export function ExpertSubmissionsPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const [params] = useSearchParams();
  const conferenceId = params.get('conference') ?? undefined;
  usePageTitle(t('experts.submissions.title'));
  const [list, reload] = useResource(`expert-submissions:${conferenceId}`, (signal) => expertApi.submissions({ conferenceId }, signal));
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('experts.submissions.title')}</h1></div>
      <p className="page__intro">{t('experts.submissions.intro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0
        ? <p className="empty">{t('experts.submissions.empty')}</p>
        : list.data.items.map((s) => role === 'expert_member' ? <AdviceForm key={s.id} submission={s} /> : <SubmissionView key={s.id} submission={s} />))}
    </article>
  );
}

function AdviceForm({ submission }: { submission: ExpertSubmission }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(submission);
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      setShown(await expertApi.advise(submission.id, Object.entries(drafts).filter(([, v]) => v.trim()).map(([seq, text]) => ({ questionSeq: Number(seq), text }))));
      setDrafts({});
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      else throw err;
    }
  };
  return (
    <form className="form" onSubmit={(ev) => { ev.preventDefault(); void save(); }}>
      <SubmissionView submission={shown}>
        {(q) => (
          <label>
            {t('experts.submissions.advice')}
            <textarea rows={3} value={drafts[q.seq] ?? ''} onChange={(ev) => setDrafts((d) => ({ ...d, [q.seq]: ev.target.value }))} data-testid={`expert-advice-${q.seq}`} />
          </label>
        )}
      </SubmissionView>
      {error && <ErrorPanel error={error} />}
      <p><button type="submit" className="button" data-testid="expert-advice-save">{t('experts.submissions.save')}</button></p>
      {saved && <p className="notice notice--done" role="status">{t('experts.submissions.saved')}</p>}
    </form>
  );
}
