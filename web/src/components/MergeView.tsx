import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { mergeRows, mergeValues, suggestedChoices, unchosen, type MergeGroup, type MergeRow, type Side } from '../lib/merge.ts';
import { Badge } from './Badge.tsx';
import { ErrorPanel, errorMessage } from './Status.tsx';

interface Conflict<R, F> {
  /** What the user started from, what they typed, and the record as it is now. */
  base: F;
  mine: F;
  latest: R;
  theirs: F;
  rows: MergeRow[];
  choices: Partial<Record<string, Side>>;
}

/**
 * The state of merging an edit refused with 409 (someone saved first): load
 * the record as it is now and work out which fields differ. `begin` again
 * after a merged save is refused too (a third person), with the merged
 * values as the user's.
 */
export function useMerge<R, F>({ groups, fieldsOf, load }: { groups: readonly MergeGroup<F>[]; fieldsOf(record: R): F; load(): Promise<R> }) {
  const [conflict, setConflict] = useState<Conflict<R, F> | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [pending, setPending] = useState<{ base: F; mine: F } | null>(null);

  async function begin(base: F, mine: F) {
    setPending({ base, mine });
    setLoadError(null);
    try {
      const latest = await load();
      const theirs = fieldsOf(latest);
      const rows = mergeRows(base, mine, theirs, groups);
      setConflict({ base, mine, latest, theirs, rows, choices: suggestedChoices(rows) });
    } catch (error) {
      setLoadError(error);
    }
  }

  return {
    conflict,
    loadError,
    /** Load the latest again after it could not be read. */
    retry: () => (pending ? begin(pending.base, pending.mine) : Promise.resolve()),
    begin,
    choose(key: string, side: Side) {
      setConflict((c) => (c ? { ...c, choices: { ...c.choices, [key]: side } } : c));
    },
    /** The record as it is now with the user's choices, or the rows still to choose. */
    result(): { latest: R; merged: F } | { missing: string[] } {
      if (!conflict) return { missing: [] };
      const missing = unchosen(conflict.rows, conflict.choices);
      if (missing.length > 0) return { missing };
      return { latest: conflict.latest, merged: mergeValues(conflict.mine, conflict.theirs, groups, conflict.choices) };
    },
    end() {
      setConflict(null);
      setLoadError(null);
      setPending(null);
    },
  };
}

export type Merge<R, F> = ReturnType<typeof useMerge<R, F>>;

interface MergeViewProps<R, F> {
  merge: Merge<R, F>;
  /** Makes the radio names unique on the page. */
  idPrefix: string;
  label(key: string): string;
  /** A group's value as the record shows it. */
  value(key: string, fields: F): ReactNode;
  /** Save the merged values over `latest` (with its version). A 409 here should call merge.begin again. */
  onMerge(latest: R, merged: F): Promise<void>;
  /** Forget what was typed and show the record as it is now. */
  onDiscard(latest: R): void;
}

/**
 * 他の人が先に更新しました: the fields where what the user typed and the
 * record as it is now differ, side by side (「あなたの入力」 and 「現在の
 * 内容（他の人の変更）」), with a choice per field. Where only one side
 * changed a field, that change is chosen already; where both did, the user
 * must choose. 「統合して保存」 saves over the current version;
 * 「自分の入力を破棄」 shows the record as it is now. Used by every
 * version-checked edit form.
 */
export function MergeView<R, F>({ merge, idPrefix, label, value, onMerge, onDiscard }: MergeViewProps<R, F>) {
  const { t } = useTranslation();
  const headingId = useId();
  const introId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const { conflict, loadError } = merge;

  // Each new conflict (a third person may save meanwhile) is read out from its heading.
  useEffect(() => {
    if (conflict) ref.current?.focus();
  }, [conflict?.latest]);

  if (loadError !== null && !conflict) {
    return <ErrorPanel error={loadError} onRetry={() => void merge.retry()} retryLabel={t('errors.reloadLatest')} />;
  }
  if (!conflict) return null;

  async function save() {
    if (busy) return;
    const result = merge.result();
    if ('missing' in result) {
      setMissing(result.missing);
      setError(t('merge.chooseAll'));
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`input[name="${idPrefix}-${result.missing[0]}"]`)?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onMerge(result.latest, result.merged);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 400 && e.fields.length > 0 ? e.fields.map((f) => f.message).join(' ') : errorMessage(t, e));
      ref.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  const sideLabel = (side: Side) => (side === 'mine' ? t('merge.mine') : t('merge.theirs'));
  return (
    <div ref={ref} tabIndex={-1} className="merge" role="region" aria-labelledby={headingId} aria-describedby={introId} data-testid="merge">
      <h3 id={headingId} className="merge__title">{t('merge.title')}</h3>
      <p id={introId}>{conflict.rows.length > 0 ? t('merge.intro') : t('merge.introSame')}</p>
      <div role="alert" className={error ? 'form-error' : undefined}>{error}</div>
      {conflict.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table merge__table">
            <caption className="visually-hidden">{t('merge.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('merge.field')}</th>
                <th scope="col">{t('merge.mine')}</th>
                <th scope="col">{t('merge.theirs')}</th>
              </tr>
            </thead>
            <tbody>
              {conflict.rows.map((row) => {
                const name = `${idPrefix}-${row.key}`;
                const invalid = missing.includes(row.key) && !conflict.choices[row.key];
                return (
                  <tr key={row.key} data-field={row.key} className={invalid ? 'merge__row--invalid' : undefined}>
                    <th scope="row">
                      {label(row.key)}
                      {row.mineChanged && row.theirsChanged && <span className="merge__both"><Badge tone="urgent">{t('merge.both')}</Badge></span>}
                      {invalid && <span className="field__error merge__choose">{t('merge.choose')}</span>}
                    </th>
                    {(['mine', 'theirs'] as const).map((side) => (
                      <td key={side} className={conflict.choices[row.key] === side ? 'merge__cell merge__cell--chosen' : 'merge__cell'}>
                        <label className="choice merge__choice">
                          <input
                            type="radio" name={name} value={side} checked={conflict.choices[row.key] === side}
                            aria-invalid={invalid ? true : undefined}
                            onChange={() => { merge.choose(row.key, side); setMissing((m) => m.filter((k) => k !== row.key)); }}
                          />
                          <span>
                            <span className="visually-hidden">{label(row.key)}：</span>
                            {side === 'mine' ? t('merge.keepMine') : t('merge.takeTheirs')}
                            <span className="visually-hidden">（{sideLabel(side)}）</span>
                          </span>
                        </label>
                        <div className="merge__value">{value(row.key, side === 'mine' ? conflict.mine : conflict.theirs)}</div>
                        {!(side === 'mine' ? row.mineChanged : row.theirsChanged) && <p className="merge__unchanged">{t('merge.unchanged')}</p>}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void save()}>{busy ? t('detail.editSaving') : t('merge.save')}</button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => onDiscard(conflict.latest)}>{t('merge.discard')}</button>
      </div>
    </div>
  );
}
