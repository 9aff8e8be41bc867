import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { ageBandLabel } from '../consultations/ConsultationParts.tsx';
import ja from '../i18n/ja.json';
import { uiLanguage } from '../i18n/index.ts';
import { japanClock } from '../lib/meetings.ts';
import { useVocabulary } from '../network/NetworkProvider.tsx';
import type { AgeBand, AgendaReason, BothLanguages, MeetingSession, SessionStatus } from '../types.ts';

const known = <T extends object>(labels: T, code: string): code is Extract<keyof T, string> => Object.hasOwn(labels, code);

/** Labels of the meeting codes; a code this UI does not know yet is shown as it is. */
export function useMeetingLabels() {
  const { t, i18n } = useTranslation();
  const language = uiLanguage(i18n.language);
  return {
    reason: (r: string) => (known(ja.meetings.reason, r) ? t(`meetings.reason.${r}`) : r),
    status: (s: string) => (known(ja.meetings.status, s) ? t(`meetings.status.${s}`) : s),
    guestKind: (k: string) => (known(ja.meetings.guestKind, k) ? t(`meetings.guestKind.${k}`) : k),
    guestSees: (k: string) => (known(ja.meetings.guestSees, k) ? t(`meetings.guestSees.${k}`) : k),
    both: (label: BothLanguages) => label[language],
  };
}

/** 「支援会議」: members share the cases on the agenda without consent (社会福祉法第106条の6). */
export function StatutoryBadge() {
  const { t } = useTranslation();
  return <Badge tone="consent" title={t('meetings.series.statutoryNote')}>{t('meetings.series.statutory')}</Badge>;
}

const STATUS_TONE: Record<SessionStatus, BadgeTone> = { scheduled: 'planned', held: 'active', cancelled: 'ended' };

export function SessionStatusBadge({ status }: { status: SessionStatus }) {
  const labels = useMeetingLabels();
  return <Badge tone={STATUS_TONE[status] ?? 'muted'}>{labels.status(status)}</Badge>;
}

/** 「令和8年5月12日 14:00〜15:30」 */
export function SessionWhen({ session }: { session: Pick<MeetingSession, 'date' | 'startsAt' | 'endsAt'> }) {
  return <><DateText value={session.date} /> {japanClock(session.startsAt)}〜{japanClock(session.endsAt)}</>;
}

/** 「祝日のため5月11日から変更」 */
export function MovedFrom({ from, short = false }: { from: string; short?: boolean }) {
  const { t } = useTranslation();
  if (short) return <span className="meeting-moved">{t('meetings.movedFromDay', { day: Number(from.slice(8, 10)) })}</span>;
  return <span className="meeting-moved">{t('meetings.movedFromBefore')}<DateText value={from} />{t('meetings.movedFromAfter')}</span>;
}

/** Why an item is on the agenda, with its detail (a date said as a date). */
export function ReasonText({ reason, detail }: { reason: AgendaReason | string; detail: string | null }) {
  const labels = useMeetingLabels();
  const { t } = useTranslation();
  const isDate = !!detail && /^\d{4}-\d{2}-\d{2}$/.test(detail);
  return (
    <span className="agenda-reason">
      <Badge tone={reason === 'action_overdue' || reason === 'referral_overdue' ? 'urgent' : 'internal'}>{labels.reason(reason)}</Badge>
      {detail && (
        <span className="agenda-reason__detail">
          {isDate && known(ja.meetings.reasonDate, reason) ? <>{t(`meetings.reasonDate.${reason}`)}<DateText value={detail} /></> : <span lang="ja">{detail}</span>}
        </span>
      )}
    </span>
  );
}

/** Issue tags as their labels, 「、」-separated; 「なし」 when there are none. */
export function IssueTags({ tags }: { tags: string[] }) {
  const { label } = useVocabulary();
  const { t } = useTranslation();
  if (tags.length === 0) return <>{t('meetings.agenda.noIssues')}</>;
  return <>{tags.map((tag) => label('issueTags', tag)).join('、')}</>;
}

export function AgeBandText({ band }: { band: AgeBand | null }) {
  const { t } = useTranslation();
  return <>{band ? ageBandLabel(t, band) : t('form.unknown')}</>;
}
