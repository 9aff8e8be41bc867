import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExpertSubmission } from './experts.ts';

/** A text with the places a refusal named marked, so the submitter sees what to rewrite. */
export function MarkedText({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  [...ranges].sort((a, b) => a[0] - b[0]).forEach(([s, end], i) => {
    if (s < at) return;
    parts.push(<span key={`t${i}`}>{text.slice(at, s)}</span>, <mark key={`m${i}`} data-testid="expert-hit">{text.slice(s, end)}</mark>);
    at = end;
  });
  parts.push(<span key="rest">{text.slice(at)}</span>);
  return <p className="expert-marked" lang="ja">{parts}</p>;
}

/** A submission as the team reads it: case code, age band, background, questions and the advice of each seat. */
export function SubmissionView({ submission, children }: { submission: ExpertSubmission; children?: (q: ExpertSubmission['questions'][number]) => ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="doc-record" data-testid="expert-submission">
      <p className="doc-note">
        {t('experts.caseCode')}: <strong>{submission.caseCode}</strong>　{submission.ageBand && <>{t('experts.ageBand')}: {submission.ageBand}　</>}
        <span lang="ja">{submission.municipality.name}</span>　{t('experts.conferenceOf', { date: submission.conference.heldOnJa })}
      </p>
      <h3>{t('experts.background')}</h3>
      <p lang="ja" className="pre-wrap">{submission.background}</p>
      <ol>
        {submission.questions.map((q) => (
          <li key={q.seq} data-testid="expert-question">
            <p lang="ja">{q.text}</p>
            {q.advice.length > 0 && (
              <ul className="plain-list">
                {q.advice.map((a) => <li key={a.seat} data-testid="expert-advice"><strong>{a.seatName}</strong>（{a.member}）: <span lang="ja">{a.text}</span></li>)}
              </ul>
            )}
            {children?.(q)}
          </li>
        ))}
      </ol>
    </div>
  );
}
