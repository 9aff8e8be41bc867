import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { useJoinedLabels } from '../consultations/ConsultationParts.tsx';
import type { RuleError } from '../lib/rules.ts';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import type { RoutingRule, RuleConditions } from '../types.ts';
import { RuleReason, RuleTargetPath } from './RoutingViews.tsx';

interface RuleActions {
  onEdit(index: number): void;
  onMove(index: number, delta: -1 | 1): void;
  onDelete(index: number): void;
  /** While a rule is being edited, the table's own buttons wait. */
  disabled: boolean;
}

interface RuleTableProps {
  rules: readonly RoutingRule[];
  caption: string;
  /** The server's errors on the last save, by row. */
  errors?: ReadonlyMap<number, RuleError[]>;
  /** Keys of rules that differ from the saved version. */
  changed?: ReadonlySet<string>;
  actions?: RuleActions;
}

/** The rules in the order they are tried, each with its conditions, destination and reason. */
export function RuleTable({ rules, caption, errors, changed, actions }: RuleTableProps) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table rule-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rules.priority')}</th>
            <th scope="col">{t('rules.key')}</th>
            <th scope="col">{t('rules.conditions')}</th>
            <th scope="col">{t('rules.destination')}</th>
            <th scope="col">{t('rules.reason')}</th>
            {actions && <th scope="col" className="no-print">{t('rules.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => {
            const rowErrors = errors?.get(i) ?? [];
            return (
              <tr key={rule.id} id={`rule-${rule.id}`} className={rowErrors.length > 0 ? 'rule-row--invalid' : undefined} data-rule={rule.id}>
                <td className="rule-table__priority">{rule.priority}</td>
                <th scope="row" className="rule-table__key">
                  <code>{rule.id}</code>
                  {changed?.has(rule.id) && <> <Badge tone="planned">{t('rules.changed')}</Badge></>}
                  {rowErrors.map((e, k) => <p key={k} className="field__error">{e.message}</p>)}
                </th>
                <td><RuleConditionsText when={rule.when} /></td>
                <td><RuleTargetPath to={rule.to} /></td>
                <td><RuleReason reason={rule.reason} reasonEn={rule.reasonEn} /></td>
                {actions && (
                  <td className="rule-table__actions no-print">
                    <button type="button" className="button button--small" disabled={actions.disabled}
                      aria-label={t('rules.editRule', { key: rule.id })} onClick={() => actions.onEdit(i)}>
                      {t('rules.edit')}
                    </button>
                    <button type="button" className="button button--small button--secondary" disabled={actions.disabled || i === 0}
                      aria-label={t('rules.moveUpRule', { key: rule.id })} title={t('rules.moveUp')} onClick={() => actions.onMove(i, -1)}>
                      <span aria-hidden="true">↑</span>
                    </button>
                    <button type="button" className="button button--small button--secondary" disabled={actions.disabled || i === rules.length - 1}
                      aria-label={t('rules.moveDownRule', { key: rule.id })} title={t('rules.moveDown')} onClick={() => actions.onMove(i, 1)}>
                      <span aria-hidden="true">↓</span>
                    </button>
                    <button type="button" className="button button--small button--danger" disabled={actions.disabled}
                      aria-label={t('rules.deleteRule', { key: rule.id })} onClick={() => actions.onDelete(i)}>
                      {t('rules.delete')}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A rule's conditions in words: 「年齢 50〜69歳」「課題（いずれか）：ひきこもり」; none means every consultation. */
export function RuleConditionsText({ when }: { when: RuleConditions }) {
  const { t } = useTranslation();
  const { label } = useVocabulary();
  const { areasByKey } = useNetwork();
  const join = useJoinedLabels();
  const parts: string[] = [];
  const { ageMin, ageMax } = when;
  if (ageMin !== undefined || ageMax !== undefined) {
    const range = ageMin !== undefined && ageMax !== undefined ? t('rules.cond.ageRange', { min: ageMin, max: ageMax })
      : ageMin !== undefined ? t('rules.cond.ageFrom', { min: ageMin }) : t('rules.cond.ageTo', { max: ageMax });
    parts.push(t('rules.cond.age', { range }));
  }
  if (when.schoolStages) parts.push(t('rules.cond.schoolStages', { list: join(when.schoolStages.map((c) => label('schoolStages', c))) }));
  if (when.issueTagsAny) parts.push(t('rules.cond.issueTagsAny', { list: join(when.issueTagsAny.map((c) => label('issueTags', c))) }));
  if (when.issueTagsAll) parts.push(t('rules.cond.issueTagsAll', { list: join(when.issueTagsAll.map((c) => label('issueTags', c))) }));
  if (when.areas) parts.push(t('rules.cond.areas', { list: join(when.areas.map((k) => areasByKey.get(k)?.name ?? k)) }));
  if (when.channels) parts.push(t('rules.cond.channels', { list: join(when.channels.map((c) => label('channels', c))) }));
  if (when.consulterRelations)
    parts.push(t('rules.cond.consulterRelations', { list: join(when.consulterRelations.map((c) => label('consulterRelations', c))) }));
  if (when.minDistinctIssues !== undefined) parts.push(t('rules.cond.minDistinctIssues', { count: when.minDistinctIssues }));
  if (when.minOrganizationsInvolved !== undefined) parts.push(t('rules.cond.minOrganizationsInvolved', { count: when.minOrganizationsInvolved }));
  if (when.cannotVisit !== undefined) parts.push(t(when.cannotVisit ? 'rules.cond.cannotVisitYes' : 'rules.cond.cannotVisitNo'));
  if (parts.length === 0) return <span className="empty">{t('rules.everything')}</span>;
  return <ul className="conditions">{parts.map((p) => <li key={p}>{p}</li>)}</ul>;
}
