import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { MeetingSeriesLink, OrgLinkList } from '../components/Links.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { Notes } from '../components/Notes.tsx';
import { formatCadence } from '../lib/cadence.ts';
import type { Eligibility, Program } from '../types.ts';
import { AreaNames } from './OrganizationCard.tsx';
import { useNetwork, useVocabulary } from './NetworkProvider.tsx';

interface ProgramCardProps {
  program: Program;
  headingLevel?: 3 | 4;
  /** The organisation whose page shows this card; it is named, not linked. */
  current?: string;
}

/** One program (事業): who owns it, who runs it under commission, for whom, how often. */
export function ProgramCard({ program, current, headingLevel = 3 }: ProgramCardProps) {
  const { t, i18n } = useTranslation();
  const { label } = useVocabulary();
  const ownedBySections = useOwnedBySections(program);
  const cadence = formatCadence(program.cadence, i18n.language);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <li className="card" id={`program-${program.id}`}>
      <Heading className="card__title"><LocalName item={program} /></Heading>
      <p className="badges">
        <Badge tone={program.status}>{t(`program.status.${program.status}`)}</Badge>
        <CoOwnedBadge program={program} />
        {program.wideArea && <Badge tone="wide-area">{t('program.wideArea')}</Badge>}
        {!program.active && <Badge tone="muted">{t('program.inactive')}</Badge>}
      </p>
      <Facts>
        <Fact label={t('program.kind')}>{label('programKinds', program.kind)}</Fact>
        <Fact label={t('program.owners')}><OrgLinkList orgs={program.owners} current={current} /></Fact>
        {program.contractors.length > 0 && (
          <Fact label={t('program.commission')}>
            <span className="commission">
              {/* Several owners are already listed in the row above; refer to them instead of repeating them. */}
              {program.owners.length === 1
                ? <OrgLinkList orgs={program.owners} current={current} />
                : t(ownedBySections ? 'program.allOwnerSections' : 'program.allOwners', { count: program.owners.length })}
              <span aria-hidden="true" className="commission__arrow">→</span>
              <span className="visually-hidden">{t('program.commissionArrow')}</span>
              <OrgLinkList orgs={program.contractors} current={current} />
            </span>
          </Fact>
        )}
        <EligibilityFacts eligibility={program.eligibility} />
        {program.channels.length > 0 && (
          <Fact label={t('program.channels')}>{joinLabels(program.channels.map((c) => label('channels', c)), i18n.language)}</Fact>
        )}
        {cadence && <Fact label={t('program.cadence')}>{cadence}</Fact>}
        {program.startedOn && <Fact label={t('program.startedOn')}><DateText value={program.startedOn} /></Fact>}
        {program.reviewedIn && <Fact label={t('program.reviewedIn')}><MeetingSeriesLink series={program.reviewedIn} /></Fact>}
      </Facts>
      {program.description && <p className="card__description" lang="ja">{program.description}</p>}
      <Notes notes={program.notes} />
    </li>
  );
}

/**
 * 「3課共管」: a program owned by several sections at once. Said as 課 only when
 * every owner is a city-hall section; otherwise 機関.
 */
function CoOwnedBadge({ program }: { program: Program }) {
  const { t } = useTranslation();
  const allSections = useOwnedBySections(program);
  const count = program.owners.length;
  if (count < 2) return null;
  return (
    <Badge tone="co-owned">
      {allSections ? t('program.coOwnedSections', { count }) : t('program.coOwnedOrganizations', { count })}
    </Badge>
  );
}

/** True when every owner is a city-hall section (課), which is how co-ownership is usually said. */
function useOwnedBySections(program: Program): boolean {
  const { organizationsById } = useNetwork();
  return program.owners.every((o) => organizationsById.get(o.id)?.kind === 'internal_section');
}

function EligibilityFacts({ eligibility }: { eligibility: Eligibility }) {
  const { t, i18n } = useTranslation();
  const { label } = useVocabulary();
  const { ageMin, ageMax } = eligibility;
  const age =
    ageMin !== null && ageMax !== null ? t('program.ageRange', { min: ageMin, max: ageMax })
    : ageMin !== null ? t('program.ageFrom', { min: ageMin })
    : ageMax !== null ? t('program.ageTo', { max: ageMax })
    : null;
  return (
    <>
      {age && <Fact label={t('program.age')}>{age}</Fact>}
      {eligibility.schoolStages.length > 0 && (
        <Fact label={t('program.schoolStages')}>
          {joinLabels(eligibility.schoolStages.map((s) => label('schoolStages', s)), i18n.language)}
        </Fact>
      )}
      {eligibility.issueTags.length > 0 && (
        <Fact label={t('program.issueTags')}>
          {joinLabels(eligibility.issueTags.map((tag) => label('issueTags', tag)), i18n.language)}
        </Fact>
      )}
      {eligibility.areaIds.length > 0 && <Fact label={t('program.areas')}><AreaNames areaIds={eligibility.areaIds} /></Fact>}
      {eligibility.description && (
        <Fact label={t('program.eligibility')}><span lang="ja">{eligibility.description}</span></Fact>
      )}
    </>
  );
}

/** 「中学生・高校生」 / 'Junior high school, High school'. */
export function joinLabels(labels: readonly string[], language: string): string {
  return labels.join(language === 'en' ? ', ' : '・');
}
