import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { deadlineState } from '../lib/privacy.ts';
import type { Deadline, IncidentStatus } from './types.ts';

/** A reporting deadline with what is left of it: days left, overdue (highlighted), or reported. */
export function DeadlineText({ deadline }: { deadline: Deadline }) {
  const { t } = useTranslation();
  const state = deadlineState(deadline);
  return (
    <span className={`deadline deadline--${state}`} data-state={state}>
      {deadline.target && deadline.from ? <><DateText value={deadline.from} />〜</> : null}
      <DateText value={deadline.due} />
      {' '}
      {state === 'done' || state === 'late'
        ? <span>{t(`incident.deadline.${state}`)}（<DateText value={deadline.reportedOn!} />）</span>
        : state === 'overdue'
          ? <strong>{t('incident.deadline.overdue', { count: -(deadline.daysLeft ?? 0) })}</strong>
          : <span>{t('incident.deadline.daysLeft', { count: deadline.daysLeft ?? 0 })}</span>}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  return <Badge tone={status === 'closed' ? 'ended' : status === 'contained' ? 'planned' : 'urgent'}>{t(`incident.status.${status}`)}</Badge>;
}
