import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { ErrorSummary, FormField } from '../components/Form.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { ErrorPanel } from '../components/Status.tsx';
import { ReferralStatusBadge, UrgencyBadge, useCaseLabels } from '../cases/CaseParts.tsx';
import { useSaid } from '../cases/useSaid.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { nextReferralStatuses, referralNeedsNote } from '../lib/cases.ts';
import { OrgName, ProgramName } from '../network/Names.tsx';
import { useSignedInSession } from '../session.tsx';
import type { Referral, ReferralStatus } from '../types.ts';
import { LegalBasisText } from './LegalBasis.tsx';

type Level = 2 | 3;
const Heading = ({ level, id, className, children }: { level: Level; id: string; className: string; children: ReactNode }) => {
  const Tag = `h${level}` as const;
  return <Tag id={id} className={className}>{children}</Tag>;
};

interface ReferralCardProps {
  referral: Referral;
  /** On the referral queues the case is named and linked; on the case's own page it is not. */
  showCase: boolean;
  level: Level;
  /** After the receiving organisation moved it (the case page reloads its timeline). */
  onMoved?(next: Referral): void;
}

/**
 * One referral (つなぎ): from → to (program), why, what was shared and on
 * what legal basis, how urgent, by when the first contact is due, where it stands and its history.
 * The receiving organisation moves it along from here.
 */
export function ReferralCard({ referral, showCase, level, onMoved }: ReferralCardProps) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const session = useSignedInSession();
  const [current, setCurrent] = useState(referral);
  const [said, say] = useSaid();
  const r = current;
  const titleId = `referral-${r.id}-title`;
  const receiving = r.to.id === session.organization.id;
  // a partner group (連携団体) has no accounts here: its sender or the hub records its answers on its behalf
  const onBehalf = !receiving && !!r.receiverPartner && (r.from.id === session.organization.id || session.role === 'hub_coordinator');

  function moved(next: Referral, status: ReferralStatus) {
    setCurrent(next);
    // The buttons just pressed are gone: the message is where reading continues.
    say((t) => t('referral.moved', { status: t(`referral.statusValue.${status}`) }));
    onMoved?.(next);
  }

  return (
    <li className={`referral card queue__item queue__item--${r.urgency}${r.overdue ? ' referral--overdue' : ''}`} data-testid="referral" data-status={r.status}>
      <div className="queue__head">
        <Heading level={level} id={titleId} className="queue__title">
          {showCase
            ? <Link to={`/cases/${encodeURIComponent(r.caseId)}`}>{t('cases.titleWithReference', { reference: r.caseReference })}</Link>
            : <Sentence text={t('referral.itemTitle', { date: SLOT })}><DateTimeText value={r.sentAt} /></Sentence>}
        </Heading>
        <p className="badges">
          <ReferralStatusBadge status={r.status} />
          <UrgencyBadge urgency={r.urgency} />
          {r.overdue && <Badge tone="emergency">{t('referral.overdue')}</Badge>}
        </p>
      </div>
      <p className="referral__route">
        <OrgName org={r.from} />
        <span className="referral__arrow" aria-hidden="true">→</span>
        <span className="visually-hidden">{t('referral.to')}</span>
        <strong><OrgName org={r.to} /></strong>
        {r.receiverPartner && <> <Badge tone="external">{t('partner.groupLabel', { prefecture: r.receiverPartner.prefectureName })}</Badge></>}
        {r.program && <span className="path__program">{t('routing.program')}<ProgramName program={r.program} /></span>}
      </p>
      <dl className="queue__facts">
        {showCase && <div><dt>{t('referral.sentAt')}</dt><dd><DateTimeText value={r.sentAt} /></dd></div>}
        <div>
          <dt>{t('referral.firstContactDue')}</dt>
          <dd className={r.overdue ? 'overdue-text' : undefined}><DateText value={r.firstContactDue} /></dd>
        </div>
        <div><dt>{t('referral.urgency')}</dt><dd>{labels.urgency(r.urgency)}</dd></div>
      </dl>
      <p className="referral__reason"><span className="trail__label">{t('referral.reason')}：</span><span lang="ja">{r.reason}</span></p>
      <div className="shared-summary">
        <p className="shared-summary__label">{t('referral.sharedSummary')}</p>
        <p className="prewrap" lang="ja">{r.sharedSummary}</p>
      </div>
      <LegalBasisText basis={r.legalBasis} />
      <h4 className="referral__history-title">{t('referral.history')}</h4>
      <ol className="referral-history">
        {r.history.map((h, i) => (
          <li key={i}>
            <strong>{labels.referralStatus(h.status)}</strong>
            {' '}<span className="trail__meta"><DateTimeText value={h.at} />{h.organization && <> ・ <OrgName org={h.organization} /></>}</span>
            {h.note && <span className="referral-history__note" lang="ja">{h.note}</span>}
          </li>
        ))}
      </ol>
      {said}
      {onBehalf && nextReferralStatuses(r.status).length > 0 && <p className="section__hint">{t('partner.onBehalfHint')}</p>}
      {(receiving || onBehalf) && nextReferralStatuses(r.status).length > 0 && <ReferralActions referral={r} titleId={titleId} onMoved={moved} onReloaded={setCurrent} />}
    </li>
  );
}

const ACTION_LABEL = {
  accepted: 'referral.action.accepted', declined: 'referral.action.declined', first_contact: 'referral.action.first_contact',
  ongoing: 'referral.action.ongoing', completed: 'referral.action.completed', returned: 'referral.action.returned',
} as const;

interface ActionsProps {
  referral: Referral;
  titleId: string;
  onMoved(next: Referral, status: ReferralStatus): void;
  onReloaded(latest: Referral): void;
}

/**
 * The receiving organisation's next steps, only those the loop allows from
 * here. One note field serves every step; a decline or a return must fill it.
 */
function ReferralActions({ referral: r, titleId, onMoved, onReloaded }: ActionsProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<ReferralStatus | null>(null);
  const [conflict, setConflict] = useState<unknown>(null);
  const chosen = useRef<ReferralStatus | null>(null);
  const noteId = `referral-${r.id}-note`;
  const form = useFormErrors((): FormErrors => (chosen.current && referralNeedsNote(chosen.current) && !note.trim()
    ? { note: t(chosen.current === 'declined' ? 'referral.errors.declineReason' : 'referral.errors.returnReason') }
    : {}));

  async function move(status: Exclude<ReferralStatus, 'sent'>) {
    if (busy) return;
    chosen.current = status;
    setConflict(null);
    if (!form.validate()) return;
    setBusy(status);
    try {
      const next = await api.changeReferralStatus(r.id, { version: r.version, status, ...(note.trim() ? { note: note.trim() } : {}) });
      setNote('');
      form.reset();
      onMoved(next, status);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(error);
      else form.fail(error, (f) => (f.replace(/^\//, '') === 'note' ? 'note' : null));
    } finally {
      setBusy(null);
    }
  }

  async function reloadLatest() {
    try {
      onReloaded(await api.getReferral(r.id));
      setConflict(null);
    } catch (e) {
      setConflict(e);
    }
  }

  return (
    <div className="referral-actions no-print" role="group" aria-labelledby={`${titleId} ${r.id}-actions-label`}>
      <p id={`${r.id}-actions-label`} className="referral-actions__label">{t('referral.actions')}</p>
      <ErrorSummary errors={summaryOf(form.errors, ['note'], () => noteId)} general={form.general} attempt={form.attempt} />
      {conflict !== null && <ErrorPanel error={conflict} onRetry={() => void reloadLatest()} retryLabel={t('errors.reloadLatest')} />}
      <FormField id={noteId} label={t('referral.note')} hint={t('referral.noteHint')} error={form.errors.note}>
        {(control) => <textarea {...control} lang="ja" rows={2} maxLength={1000} value={note} onChange={(e) => { setNote(e.target.value); form.clear('note'); }} />}
      </FormField>
      <div className="form-actions">
        {nextReferralStatuses(r.status).map((s) => (
          <button
            key={s} type="button" disabled={busy !== null}
            className={referralNeedsNote(s) ? 'button button--danger' : s === 'accepted' || s === 'completed' || s === 'first_contact' ? 'button' : 'button button--secondary'}
            onClick={() => void move(s)}
          >
            {busy === s ? t('form.saving') : t(ACTION_LABEL[s])}
          </button>
        ))}
      </div>
    </div>
  );
}
