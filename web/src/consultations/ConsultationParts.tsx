import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { OrgName, ProgramName } from '../network/Names.tsx';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import { joinLabels } from '../network/ProgramCard.tsx';
import type { AgeBand, ConsultationStep, ConsultationSummary, IntakeFields, Ref } from '../types.ts';

/** 50代, 80代以上, or 45〜54歳 for a band that is not a decade. */
export function ageBandLabel(t: TFunction, band: AgeBand): string {
  const decade = band.min >= 10 && band.min % 10 === 0;
  if (decade && band.max === band.min + 9) return t('consultation.band', { decade: band.min });
  if (decade && band.max >= 100) return t('consultation.bandOver', { decade: band.min });
  return t('consultation.bandRange', { min: band.min, max: band.max });
}

/** 「52歳」, 「50代」 or 「不明」: an unknown age is normal and said plainly. */
export function AgeText({ age, ageBand }: { age: number | null; ageBand: AgeBand | null }) {
  const { t } = useTranslation();
  if (age !== null) return <>{t('consultation.ageYears', { age })}</>;
  if (ageBand) return <>{ageBandLabel(t, ageBand)}</>;
  return <>{t('form.unknown')}</>;
}

/** 緊急 / 至急 and 気がかり相談; a normal, staff-recorded consultation has none. */
export function ConsultationBadges({ consultation, status = false }: { consultation: ConsultationSummary; status?: boolean }) {
  const { t } = useTranslation();
  const { urgency, source } = consultation;
  return (
    <p className="badges">
      {urgency === 'emergency' && <Badge tone="emergency">{t('consultation.urgencyValue.emergency')}</Badge>}
      {urgency === 'urgent' && <Badge tone="urgent">{t('consultation.urgencyValue.urgent')}</Badge>}
      {source === 'concern_report' && <Badge tone="concern">{t('consultation.concernReport')}</Badge>}
      {status && (
        <Badge tone={consultation.status === 'routed' ? 'active' : 'muted'}>{t(`consultation.status.${consultation.status}`)}</Badge>
      )}
    </p>
  );
}

/** Issue tags with the 主訴 first and marked ◎. */
export function IssueTagList({ tags, main }: { tags: readonly string[]; main: string | null }) {
  const { t } = useTranslation();
  const { label } = useVocabulary();
  if (tags.length === 0) return <>{t('consultation.none')}</>;
  const ordered = main && tags.includes(main) ? [main, ...tags.filter((x) => x !== main)] : tags;
  return (
    <ul className="inline-list">
      {ordered.map((tag) => (
        <li key={tag}>
          {tag === main && <><span aria-hidden="true">◎</span><span className="visually-hidden">{t('consultation.mainIssue')}：</span></>}
          {label('issueTags', tag)}
        </li>
      ))}
    </ul>
  );
}

/** A destination: the organisation, and the program when there is one. */
export function DestinationName({ organization, program }: { organization: Ref | null; program: Ref | null }) {
  const { t } = useTranslation();
  return (
    <>
      {organization && <OrgName org={organization} />}
      {program && <span className="path__program">{t('routing.program')}<ProgramName program={program} /></span>}
    </>
  );
}

/** A recorded field as the record shows it; 'issues' is the tags with the 主訴. */
export type ConsultationValueField =
  | 'channel' | 'consulterRelation' | 'consulterDetail' | 'familyOnly' | 'age' | 'schoolStage' | 'areaId' | 'cannotVisit'
  | 'issues' | 'organizationsInvolved' | 'urgency' | 'summary';

/** The label of each field where it is shown on its own (the merge view). */
export function consultationFieldLabel(t: TFunction, field: ConsultationValueField): string {
  switch (field) {
    case 'familyOnly': return t('consultation.familyOnlyShort');
    case 'areaId': return t('consultation.areaShort');
    case 'issues': return t('consultation.issueTags');
    default: return t(`consultation.${field}`);
  }
}

/** One recorded field's value, as the record shows it (and the merge view compares it). */
export function ConsultationValue({ field, values: c }: { field: ConsultationValueField; values: IntakeFields }) {
  const { t } = useTranslation();
  const { label } = useVocabulary();
  const { areasById } = useNetwork();
  switch (field) {
    case 'channel': return <>{label('channels', c.channel)}</>;
    case 'consulterRelation': return <>{label('consulterRelations', c.consulterRelation)}</>;
    case 'consulterDetail': return c.consulterDetail ? <span lang="ja">{c.consulterDetail}</span> : <>{t('consultation.none')}</>;
    case 'familyOnly': return <>{c.familyOnly ? t('form.yes') : t('form.no')}</>;
    case 'age': return <AgeText age={c.age} ageBand={c.ageBand} />;
    case 'schoolStage': return <>{c.schoolStage ? label('schoolStages', c.schoolStage) : t('consultation.schoolStageNone')}</>;
    case 'areaId': return c.areaId ? <span lang="ja">{areasById.get(c.areaId)?.name ?? c.areaId}</span> : <>{t('consultation.areaUnknown')}</>;
    case 'cannotVisit':
      return <>{c.cannotVisit === null ? t('consultation.cannotVisitUnknown') : c.cannotVisit ? t('consultation.cannotVisitYes') : t('consultation.cannotVisitNo')}</>;
    case 'issues': return <IssueTagList tags={c.issueTags} main={c.mainIssue} />;
    case 'organizationsInvolved':
      return <>{c.organizationsInvolved === null ? t('form.unknown') : t('consultation.organizationsCount', { count: c.organizationsInvolved })}</>;
    case 'urgency': return <>{t(`consultation.urgencyValue.${c.urgency}`)}</>;
    case 'summary': return <p className="prewrap" lang="ja">{c.summary}</p>;
  }
}

/** What was recorded, as a label–value list. */
export function ConsultationFacts({ consultation: c }: { consultation: IntakeFields & Partial<ConsultationSummary> }) {
  const { t } = useTranslation();
  const row = (field: ConsultationValueField) => (
    <Fact label={consultationFieldLabel(t, field)}><ConsultationValue field={field} values={c} /></Fact>
  );
  return (
    <Facts wide>
      {c.reference && <Fact label={t('consultation.reference')}>{c.reference}</Fact>}
      {c.receivedAt && <Fact label={t('consultation.receivedAt')}><DateTimeText value={c.receivedAt} /></Fact>}
      {c.door && <Fact label={t('consultation.door')}><OrgName org={c.door} /></Fact>}
      {row('channel')}
      <Fact label={t('consultation.consulterRelation')}>
        <ConsultationValue field="consulterRelation" values={c} />
        {c.consulterDetail && <span lang="ja">（{c.consulterDetail}）</span>}
        {c.familyOnly && <span className="fact-note">{t('consultation.familyOnlyShort')}</span>}
      </Fact>
      {row('age')}
      {c.schoolStage && row('schoolStage')}
      {row('areaId')}
      {row('cannotVisit')}
      {row('issues')}
      {row('organizationsInvolved')}
      {row('urgency')}
      {row('summary')}
    </Facts>
  );
}

/** 「地域支援課で受付」→「福祉総合相談窓口へ送付」→「福祉総合相談窓口で受理」, each with when, why and whether it followed the suggestion. */
export function Trail({ steps }: { steps: readonly ConsultationStep[] }) {
  const { t } = useTranslation();
  return (
    <ol className="trail">
      {steps.map((step) => (
        <li key={step.seq} className={`trail__step trail__step--${step.kind}`} data-kind={step.kind}>
          <p className="trail__what">
            <strong><Sentence text={t(`trail.${step.kind}`, { to: SLOT })}><OrgName org={step.to} /></Sentence></strong>
            {step.program && <span className="path__program">{t('routing.program')}<ProgramName program={step.program} /></span>}
          </p>
          <p className="trail__meta">
            <DateTimeText value={step.at} />
            {step.kind !== 'received' && step.from && step.from.id !== step.to.id && <> ・ <Sentence text={t('trail.from', { from: SLOT })}><OrgName org={step.from} /></Sentence></>}
            {step.followedSuggestion === true && <> ・ {t('trail.followed')}</>}
            {step.followedSuggestion === false && <> ・ {t('trail.notFollowed')}</>}
            {step.kind !== 'received' && step.routingVersion !== null && <> ・ {t('trail.ruleVersion', { version: step.routingVersion })}</>}
          </p>
          {step.reason && <p className="trail__reason"><span className="trail__label">{t('routing.reason')}：</span><span lang="ja">{step.reason}</span></p>}
        </li>
      ))}
    </ol>
  );
}

/** Labels joined as the language joins them. */
export function useJoinedLabels() {
  const { i18n } = useTranslation();
  return (labels: readonly string[]) => joinLabels(labels, i18n.language);
}
