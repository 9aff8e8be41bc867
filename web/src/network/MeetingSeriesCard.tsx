import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { OrgLink, OrgLinkList } from '../components/Links.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { Notes } from '../components/Notes.tsx';
import { formatCadence } from '../lib/cadence.ts';
import type { MeetingSeries } from '../types.ts';
import { useVocabulary } from './NetworkProvider.tsx';

/**
 * One meeting series (会議体). Its legal basis decides whether members may
 * share a person's case without consent (社会福祉法第106条の6), so it is stated plainly.
 */
export function MeetingSeriesCard({ series }: { series: MeetingSeries }) {
  const { t, i18n } = useTranslation();
  const { label, legalBasis } = useVocabulary();
  const basis = legalBasis(series.legalBasis);
  const cadence = formatCadence(series.cadence, i18n.language);
  return (
    <li className="card" id={`meeting-series-${series.id}`} tabIndex={-1}>
      <h3 className="card__title"><LocalName item={series} /></h3>
      <p className="badges">
        {basis?.sharesWithoutConsent && <Badge tone="consent">{t('meeting.sharesWithoutConsent')}</Badge>}
      </p>
      <Facts>
        {cadence && <Fact label={t('meeting.cadence')}>{cadence}</Fact>}
        <Fact label={t('meeting.legalBasis')}>
          {label('legalBases', series.legalBasis)}
          {basis && (
            <span className="fact-note">
              {basis.sharesWithoutConsent ? t('meeting.sharesWithoutConsentNote') : t('meeting.consentRequired')}
            </span>
          )}
        </Fact>
        <Fact label={t('meeting.purpose')}><span lang="ja">{series.purpose}</span></Fact>
        {series.organizer && <Fact label={t('meeting.organizer')}><OrgLink org={series.organizer} /></Fact>}
        {series.members.length > 0 && (
          <Fact label={t('meeting.members')}><OrgLinkList orgs={series.members} /></Fact>
        )}
        {series.memberLevel && <Fact label={t('meeting.memberLevel')}><span lang="ja">{series.memberLevel}</span></Fact>}
      </Facts>
      <Notes notes={series.notes} />
    </li>
  );
}
