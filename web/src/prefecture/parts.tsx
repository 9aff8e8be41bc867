import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { Badge, type BadgeTone } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { errorMessage } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { prefectureApi } from './api.ts';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { fiscalYearChoices } from '../lib/prefecture.ts';
import { useImmediate } from '../useImmediate.ts';
import { fiscalYearLabel, fiscalYearLabelEn, fiscalYearOf } from '../../../src/lib/fiscal.ts';
import type { ProposalAnswer, ProposalStatus, StatusChange, VisitItem, VisitItemKind } from './types.ts';

const TONES: Record<ProposalStatus, BadgeTone> = { proposed: 'planned', considering: 'wide-area', adopted: 'active', declined: 'muted' };

/** 提案・検討中・採用・見送り */
export function ProposalStatusBadge({ status }: { status: ProposalStatus }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[status]}>{t(`prefecture.status.${status}`)}</Badge>;
}

/** 情報提供・事例紹介・提案・案内 */
export function KindLabel({ kind }: { kind: VisitItemKind }) {
  const { t } = useTranslation();
  return <>{t(`prefecture.kind.${kind}`)}</>;
}

/** Each change of a proposal's status with its date and note, oldest first. */
export function ProposalHistory({ history }: { history: StatusChange[] }) {
  const { t } = useTranslation();
  if (history.length === 0) return null;
  return (
    <ol className="proposal-history" aria-label={t('prefecture.history')}>
      {history.map((h, i) => (
        <li key={i}>
          <DateText value={h.on} /> {t(`prefecture.status.${h.status}`)}
          {h.note && <>：<span lang="ja" className="prewrap">{h.note}</span></>}
        </li>
      ))}
    </ol>
  );
}

const ANSWERS: Record<ProposalStatus, ProposalAnswer[]> = { proposed: ['considering', 'adopted', 'declined'], considering: ['adopted', 'declined'], adopted: [], declined: [] };

/** The municipality's hub answers a proposal: considering, adopted or declined, with the date and a note. */
export function AnswerForm({ proposal, onAnswered }: { proposal: VisitItem; onAnswered: (item: VisitItem) => void }) {
  const { t } = useTranslation();
  const choices = ANSWERS[proposal.status ?? 'adopted'];
  const [status, setStatus] = useState<ProposalAnswer | ''>('');
  const [on, setOn] = useState(japanToday(new Date()));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (choices.length === 0) return null;
  const id = `answer-${proposal.id}`;
  const send = async () => {
    if (!status) { setError(t('prefecture.answer.chooseStatus')); return; }
    setBusy(true);
    setError(null);
    try {
      onAnswered(await prefectureApi.answer(proposal.id, { status, on, note: note.trim() || null }));
    } catch (e) {
      const fields = e instanceof ApiError && e.status === 400 ? e.fields.map((f) => f.message).join(' ') : '';
      setError(fields || errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="answer-form no-print" aria-label={t('prefecture.answer.title')} onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <div className="answer-form__fields">
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('prefecture.answer.status')}</label>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as ProposalAnswer)}>
            <option value="">{t('prefecture.answer.choose')}</option>
            {choices.map((c) => <option key={c} value={c}>{t(`prefecture.status.${c}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-on`}>{t('prefecture.answer.on')}</label>
          <input id={`${id}-on`} type="date" value={on} required onChange={(e) => setOn(e.target.value)} />
        </div>
        <div className="field answer-form__note">
          <label htmlFor={`${id}-note`}>{t('prefecture.answer.note')}</label>
          <input id={`${id}-note`} type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={busy}>{t('prefecture.answer.send')}</button>
      </div>
      {error && <p className="field__error" role="alert">{error}</p>}
    </form>
  );
}

/** A proposal's words with where it stands: badge, history, and the hub's answer form when it may answer. */
export function ProposalEntry({ proposal, canAnswer, onAnswered }: { proposal: VisitItem; canAnswer: boolean; onAnswered: (item: VisitItem) => void }) {
  return (
    <>
      <p className="proposal__text">
        {proposal.heading && <span className="proposal__heading" lang="ja">{proposal.heading}：</span>}
        <span lang="ja">{proposal.text}</span>{' '}
        {proposal.status && <ProposalStatusBadge status={proposal.status} />}
      </p>
      <ProposalHistory history={proposal.history} />
      {canAnswer && <AnswerForm proposal={proposal} onAnswered={onAnswered} />}
    </>
  );
}

/** The fiscal year a centre page shows: `?fiscalYear=` when it is a past or the current year, else the current one. */
export function useFiscalYearParam(): { fiscalYear: number; current: number } {
  const [params] = useSearchParams();
  const fyParam = Number(params.get('fiscalYear'));
  const current = fiscalYearOf(new Date());
  return { fiscalYear: Number.isInteger(fyParam) && fyParam >= 2000 && fyParam <= current ? fyParam : current, current };
}

/** The fiscal-year choice of a centre page, bound to `?fiscalYear=` of `path`. */
export function FiscalYearPicker({ id, path, fiscalYear, current }: { id: string; path: string; fiscalYear: number; current: number }) {
  const { t, i18n: { language } } = useTranslation();
  const navigate = useNavigate();
  const [shown, show] = useImmediate(fiscalYear);
  return (
    <div className="field filter-bar no-print">
      <label htmlFor={id}>{t('prefecture.networks.fiscalYear')}</label>
      <select id={id} value={shown} onChange={(e) => { show(Number(e.target.value)); navigate(`${path}?fiscalYear=${e.target.value}`); }}>
        {fiscalYearChoices(current).map((y) => <option key={y} value={y}>{language === 'en' ? fiscalYearLabelEn(y) : `${fiscalYearLabel(y)}（${y}年度）`}</option>)}
      </select>
    </div>
  );
}
