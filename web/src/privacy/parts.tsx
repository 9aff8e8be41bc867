import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { deadlineTone, isCorrectableField } from '../lib/privacyRequests.ts';
import { useResource } from '../useResource.ts';
import { privacyApi } from './requestsApi.ts';
import type { Correction, RequestSummary } from './requestTypes.ts';

/** 「あと5日」「期限超過（2日）」: where a request stands against its deadline, with the deadline in force. */
export function DeadlineBadge({ request: r }: { request: Pick<RequestSummary, 'decision' | 'overdue' | 'dueSoon' | 'decidedLate' | 'daysLeft'> }) {
  const { t } = useTranslation();
  const tone = deadlineTone(r);
  const text = tone === 'overdue' ? t('privacy.deadline.overdue', { days: -r.daysLeft })
    : tone === 'decided' ? t('privacy.deadline.decided')
    : tone === 'decidedLate' ? t('privacy.deadline.decidedLate')
    : r.daysLeft === 0 ? t('privacy.deadline.today')
    : t('privacy.deadline.left', { days: r.daysLeft });
  const badge = tone === 'overdue' || tone === 'decidedLate' ? 'emergency' : tone === 'dueSoon' ? 'urgent' : tone === 'decided' ? 'ended' : 'active';
  return <Badge tone={badge}>{text}</Badge>;
}

/** The label of a person field named by a correction. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (field: string) => (isCorrectableField(field) ? t(`privacy.field.${field}`) : field);
}

/** 訂正の履歴: each changed field with the earlier value, when, by whom and under which request. */
export function CorrectionTable({ corrections, caption }: { corrections: Correction[]; caption: string }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const none = <span className="muted-text">{t('privacy.corrections.none')}</span>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="corrections">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('privacy.corrections.at')}</th>
            <th scope="col">{t('privacy.corrections.field')}</th>
            <th scope="col">{t('privacy.corrections.old')}</th>
            <th scope="col">{t('privacy.corrections.new')}</th>
            <th scope="col">{t('privacy.corrections.request')}</th>
          </tr>
        </thead>
        <tbody>
          {corrections.map((c) => (
            <tr key={c.id}>
              <td><DateTimeText value={c.correctedAt} />{c.correctedBy && <span className="muted-text"> {c.correctedBy}</span>}</td>
              <th scope="row">{label(c.field)}</th>
              <td lang="ja">{c.field === 'birthDate' && c.oldValue ? <DateText value={c.oldValue} /> : c.oldValue ?? none}</td>
              <td lang="ja">{c.field === 'birthDate' && c.newValue ? <DateText value={c.newValue} /> : c.newValue ?? none}</td>
              <td>{c.requestReference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The person's correction history on the case page (訂正の履歴), shown only
 * when there is one. Loaded again when the person is (`revision`).
 */
export function PersonCorrections({ personId, revision }: { personId: string; revision: number }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`corrections:${personId}:${revision}`, (signal) => privacyApi.personCorrections(personId, signal));
  // Quiet while loading, and nothing at all without corrections: most persons have none.
  if (resource.status === 'loading') return null;
  if (resource.status === 'error') {
    return <p className="section__hint">{t('privacy.corrections.unavailable')} <button type="button" className="button button--secondary button--small" onClick={reload}>{t('app.retry')}</button></p>;
  }
  if (resource.data.items.length === 0) return null;
  return (
    <div className="subsection" data-testid="person-corrections">
      <h3>{t('privacy.corrections.title')}</h3>
      <p className="section__hint">{t('privacy.corrections.hint')}</p>
      <CorrectionTable corrections={resource.data.items} caption={t('privacy.corrections.title')} />
    </div>
  );
}
