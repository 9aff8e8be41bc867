import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { uiLanguage } from '../i18n/index.ts';
import { servingOrganization } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { Explanation, NearMiss, RoutingResult, RuleTarget, UndecidedRule } from '../types.ts';

/**
 * How routing explains itself, wherever it is shown: the live panel of the
 * intake form, a consultation's triage section, and the rule editor's test.
 */

type HeadingLevel = 2 | 3 | 4 | 5;
const H = ({ level, className, children }: { level: HeadingLevel; className?: string; children: ReactNode }) => {
  const Tag = `h${level}` as const;
  return <Tag className={className}>{children}</Tag>;
};

/** Japanese or English text of something the server explains in both. */
export function useBilingual() {
  const { i18n } = useTranslation();
  const english = uiLanguage(i18n.language) === 'en';
  return (ja: string, en: string | null | undefined): { text: string; lang: 'ja' | 'en' } =>
    english && en ? { text: en, lang: 'en' } : { text: ja, lang: 'ja' };
}

/** Conditions, each as the server said why it held, failed or is unknown. */
export function ExplanationList({ items, tone }: { items: readonly Explanation[]; tone?: 'needs' | 'failed' }) {
  const bilingual = useBilingual();
  return (
    <ul className={tone ? `explanations explanations--${tone}` : 'explanations'}>
      {items.map((e, i) => {
        const { text, lang } = bilingual(e.ja, e.en);
        return <li key={`${e.condition}-${i}`} lang={lang}>{text}</li>;
      })}
    </ul>
  );
}

/** A rule's reason, in English when it has one and the UI is English. */
export function RuleReason({ reason, reasonEn }: { reason: string; reasonEn?: string | null }) {
  const { text, lang } = useBilingual()(reason, reasonEn);
  return <p className="suggestion__reason" lang={lang}>{text}</p>;
}

/** A route as an ordered list, read as 「A → B → C」. */
export function Path({ steps }: { steps: ReactNode[] }) {
  const { t } = useTranslation();
  return (
    <ol className="path" aria-label={t('routing.path')}>
      {steps.map((step, i) => <li key={i}>{step}</li>)}
    </ol>
  );
}

/** A rule's destination by profile keys: the organisations passed through, then the organisation or program. */
export function RuleTargetPath({ to }: { to: RuleTarget }) {
  const { organizationsByKey } = useNetwork();
  const steps: ReactNode[] = (to.via ?? []).map((key) => <LocalName item={organizationsByKey.get(key) ?? { name: key }} />);
  steps.push(<RuleDestination to={to} />);
  return <Path steps={steps} />;
}

/** Where a rule ends, by keys: the organisation, or the program with the organisation that serves it. */
export function RuleDestination({ to }: { to: RuleTarget }) {
  const { t } = useTranslation();
  const { organizationsByKey, programsByKey, organizationsById } = useNetwork();
  if (to.program) {
    const program = programsByKey.get(to.program);
    const serving = program ? servingOrganization(program, organizationsById) : undefined;
    return (
      <>
        {serving && <LocalName item={serving} />}
        <span className="path__program">{t('routing.program')}<LocalName item={program ?? { name: to.program }} /></span>
      </>
    );
  }
  return <LocalName item={organizationsByKey.get(to.organization ?? '') ?? { name: to.organization ?? '' }} />;
}

interface SuggestionItemProps {
  level: HeadingLevel;
  destination: ReactNode;
  path?: ReactNode;
  first: boolean;
  reason: string;
  reasonEn: string | null;
  matched: readonly Explanation[];
  ruleKey: string;
  children?: ReactNode;
}

/** One suggested destination: where, why (the rule's reason and the conditions met), and what to do. */
export function SuggestionItem({ level, destination, path, first, reason, reasonEn, matched, ruleKey, children }: SuggestionItemProps) {
  const { t } = useTranslation();
  return (
    <li className={first ? 'suggestion suggestion--first' : 'suggestion'} data-rule={ruleKey}>
      <H level={level} className="suggestion__title">
        {destination}
        {first && <> <Badge tone="hub">{t('routing.first')}</Badge></>}
      </H>
      {path}
      <RuleReason reason={reason} reasonEn={reasonEn} />
      {matched.length > 0 && (
        <div className="suggestion__conditions">
          <p className="suggestion__label">{t('routing.matched')}</p>
          <ExplanationList items={matched} />
        </div>
      )}
      <p className="suggestion__rule">{t('routing.rule', { key: ruleKey })}</p>
      {children}
    </li>
  );
}

/** Rules that would apply if what is unknown turned out to fit: each says what to find out. */
export function UndecidedList({ items, level }: { items: readonly UndecidedRule[]; level: HeadingLevel }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <>
      <H level={level}>{t('routing.undecided')}</H>
      <p className="section__hint">{t('routing.undecidedHint')}</p>
      <ul className="suggestions">
        {items.map((u) => (
          <li key={u.ruleKey} className="suggestion suggestion--undecided" data-rule={u.ruleKey}>
            <RuleTargetPath to={u.to} />
            <p className="suggestion__label">{t('routing.needs')}</p>
            <ExplanationList items={u.needs} tone="needs" />
            <RuleReason reason={u.reason} />
            <p className="suggestion__rule">{t('routing.rule', { key: u.ruleKey })}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Rules that failed on exactly one condition, folded away: the "why not" view. */
export function NearMissList({ items }: { items: readonly NearMiss[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <details className="near-misses">
      <summary>{t('routing.nearMisses', { count: items.length })}</summary>
      <p className="section__hint">{t('routing.nearMissesHint')}</p>
      <ul className="suggestions">
        {items.map((m) => (
          <li key={m.ruleKey} className="suggestion suggestion--near-miss" data-rule={m.ruleKey}>
            <RuleTargetPath to={m.to} />
            <p className="suggestion__label">{t('routing.failedCondition')}</p>
            <ExplanationList items={[m.failed]} tone="failed" />
            <RuleReason reason={m.reason} />
            <p className="suggestion__rule">{t('routing.rule', { key: m.ruleKey })}</p>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** A whole evaluation (POST /api/routing/evaluate): suggestions, what to find out, near misses. */
export function EvaluationResult({ result, level }: { result: RoutingResult; level: HeadingLevel }) {
  const { t } = useTranslation();
  return (
    <div className="evaluation">
      <H level={level}>{t('routing.suggestions')}</H>
      {result.suggestions.length === 0
        ? <p className="empty">{t('routing.noSuggestions')}</p>
        : (
          <ul className="suggestions">
            {result.suggestions.map((s, i) => {
              return (
                <SuggestionItem
                  key={s.ruleKey} level={Math.min(level + 1, 5) as HeadingLevel} first={i === 0}
                  destination={<RuleDestination to={s.to} />}
                  path={s.to.via && s.to.via.length > 0 ? <RuleTargetPath to={s.to} /> : undefined}
                  reason={s.reason} reasonEn={s.reasonEn} matched={s.matched} ruleKey={s.ruleKey}
                />
              );
            })}
          </ul>
        )}
      <UndecidedList items={result.undecided} level={level} />
      <NearMissList items={result.nearMisses} />
    </div>
  );
}
