import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { mayEditRules, mayHandleConsultations } from '../access.ts';
import { DateTimeText } from '../components/DateText.tsx';
import { ErrorSummary, FormField, useRecheckOnLanguageChange } from '../components/Form.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { Badge } from '../components/Badge.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { IntakeFields } from '../consultations/IntakeFields.tsx';
import { draftToRoutingIntake, emptyDraft, type IntakeDraft } from '../lib/intake.ts';
import {
  moveRule, newRuleDraft, ruleErrorsByIndex, ruleToDraft, sameRules, sortRules, type RuleError,
} from '../lib/rules.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { EvaluationResult } from '../routing/RoutingViews.tsx';
import { RuleForm } from '../routing/RuleForm.tsx';
import { RuleTable } from '../routing/RuleTable.tsx';
import { useSignedInSession } from '../session.tsx';
import type { RoutingResult, RoutingRule, RuleSet } from '../types.ts';
import { useResource } from '../useResource.ts';

/**
 * つなぎのルール: the hub edits the routing rules as a draft (conditions,
 * destination, order), tries the draft on a sample intake, and saves it as a
 * new version with a note; every version stays readable.
 */
export function RoutingRulesPage() {
  const { t } = useTranslation();
  const [resource, reload] = useResource('routing-rules', (signal) => api.getRoutingRules(null, signal));
  usePageTitle(t('rules.title'));
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  return <RulesEditor loaded={resource.data} />;
}

type Editing = { index: number | null; draft: ReturnType<typeof ruleToDraft> };

function RulesEditor({ loaded }: { loaded: RuleSet }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const editable = mayEditRules(session.role);
  const [base, setBase] = useState(loaded);
  const [rules, setRules] = useState(() => sortRules(loaded.rules));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [ruleErrors, setRuleErrors] = useState<Map<number, RuleError[]>>(new Map());
  const [previousDraft, setPreviousDraft] = useState<RoutingRule[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  const [messageAt, setMessageAt] = useState(0);
  useEffect(() => {
    if (messageAt > 0) messageRef.current?.focus();
  }, [messageAt]);

  const savedRules = useMemo(() => sortRules(base.rules), [base]);
  const dirty = !sameRules(rules, savedRules);
  const changed = useMemo(() => {
    const before = new Map(savedRules.map((r) => [r.id, JSON.stringify(r)]));
    return new Set(rules.filter((r) => before.get(r.id) !== JSON.stringify(r)).map((r) => r.id));
  }, [rules, savedRules]);

  function say(text: string) {
    setMessage(text);
    setMessageAt((n) => n + 1);
  }

  function apply(rule: RoutingRule) {
    const index = editing?.index ?? null;
    const next = index === null ? [...rules, rule] : rules.map((r, i) => (i === index ? rule : r));
    setRules(sortRules(next));
    setRuleErrors(new Map());
    setEditing(null);
    // Back to the rule's row, where its edit button is.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`#rule-${CSS.escape(rule.id)} button`)?.focus());
  }

  function move(index: number, delta: -1 | 1) {
    setRules(moveRule(rules, index, delta));
    setRuleErrors(new Map());
    const id = rules[index]!.id;
    requestAnimationFrame(() => {
      const row = document.getElementById(`rule-${id}`);
      const buttons = row?.querySelectorAll<HTMLButtonElement>('button');
      // Keep the focus on the same kind of button, or the other move button at the ends.
      const wanted = buttons?.[delta === -1 ? 1 : 2];
      (wanted && !wanted.disabled ? wanted : buttons?.[delta === -1 ? 2 : 1])?.focus();
    });
  }

  function remove(index: number) {
    const id = rules[index]!.id;
    setRules(rules.filter((_, i) => i !== index));
    setRuleErrors(new Map());
    say(t('rules.deleted', { key: id }));
  }

  function onSaved(next: RuleSet) {
    setBase(next);
    setRules(sortRules(next.rules));
    setRuleErrors(new Map());
    setPreviousDraft(null);
    say(t('rules.saved', { version: next.version }));
  }

  function onReloaded(latest: RuleSet) {
    if (dirty) setPreviousDraft(rules);
    setBase(latest);
    setRules(sortRules(latest.rules));
    setRuleErrors(new Map());
    setEditing(null);
  }

  const otherIds = (index: number | null) => rules.filter((_, i) => i !== index).map((r) => r.id);

  return (
    <article className="page rules-page">
      <div className="page__heading">
        <h1>{t('rules.title')}</h1>
        <PrintButton />
      </div>
      <p className="page__intro">{t('rules.intro')}</p>
      <p className="status-line" data-testid="current-version">
        <Sentence text={t('rules.current', { version: base.version, date: SLOT })}><DateTimeText value={base.createdAt} /></Sentence>
        {base.note && <> ・ <span lang="ja">{base.note}</span></>}
      </p>
      {!editable && <p className="notice">{t('rules.readOnly')}</p>}
      <p ref={messageRef} tabIndex={-1} role="status" className={message ? 'notice notice--done' : undefined} data-testid="rules-message">{message}</p>

      <section aria-labelledby="draft-heading" className="section">
        <h2 id="draft-heading">
          {editable ? t('rules.draft') : t('rules.versionNumber', { version: base.version })}
          {' '}<span className="count">{t('network.count', { count: rules.length })}</span>
        </h2>
        <RuleTable
          rules={rules} caption={t('rules.title')} errors={ruleErrors} changed={editable ? changed : undefined}
          actions={editable ? {
            disabled: editing !== null,
            onEdit: (index) => setEditing({ index, draft: ruleToDraft(rules[index]!) }),
            onMove: move,
            onDelete: remove,
          } : undefined}
        />
        {editable && editing === null && (
          <p className="no-print">
            <button type="button" className="button button--secondary" onClick={() => setEditing({ index: null, draft: newRuleDraft(rules) })}>
              {t('rules.add')}
            </button>
          </p>
        )}
        {editing && (
          <RuleForm
            key={editing.index ?? 'new'} initial={editing.draft} isNew={editing.index === null}
            otherIds={otherIds(editing.index)} serverErrors={editing.index === null ? [] : ruleErrors.get(editing.index) ?? []}
            onApply={apply}
            onCancel={() => {
              const id = editing.index === null ? null : rules[editing.index]?.id;
              setEditing(null);
              requestAnimationFrame(() => (id ? document.querySelector<HTMLElement>(`#rule-${CSS.escape(id)} button`) : null)?.focus());
            }}
          />
        )}
      </section>

      {editable && (
        <SaveSection
          base={base} rules={rules} dirty={dirty} editingOpen={editing !== null} previousDraft={previousDraft}
          onSaved={onSaved} onReloaded={onReloaded} onRuleErrors={setRuleErrors}
          onDiscard={() => { setRules(savedRules); setRuleErrors(new Map()); }}
        />
      )}

      {mayHandleConsultations(session.role) && <TestSection rules={rules} />}

      <HistorySection current={base.version} />
    </article>
  );
}

interface SaveSectionProps {
  base: RuleSet;
  rules: RoutingRule[];
  dirty: boolean;
  editingOpen: boolean;
  previousDraft: RoutingRule[] | null;
  onSaved(next: RuleSet): void;
  onReloaded(latest: RuleSet): void;
  onRuleErrors(errors: Map<number, RuleError[]>): void;
  onDiscard(): void;
}

/** Saving needs a reason (変更理由), kept in the history; a stale draft is refused, never merged silently. */
function SaveSection({ base, rules, dirty, editingOpen, previousDraft, onSaved, onReloaded, onRuleErrors, onDiscard }: SaveSectionProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | null>(null);
  const [ruleSummary, setRuleSummary] = useState<{ id: string; message: string }[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<unknown>(null);
  useRecheckOnLanguageChange(!!noteError && !note.trim(), () => setNoteError(t('rules.noteRequired')));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setGeneral(null);
    setConflict(null);
    setRuleSummary([]);
    if (!note.trim()) {
      setNoteError(t('rules.noteRequired'));
      setAttempt((n) => n + 1);
      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      const saved = await api.saveRoutingRules({ expectedVersion: base.version, note: note.trim(), rules });
      setNote('');
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        setConflict(error);
      } else if (error instanceof ApiError && error.status === 400 && error.fields.length > 0) {
        const { byRule, other } = ruleErrorsByIndex(error.fields);
        onRuleErrors(byRule);
        const noteField = other.find((f) => f.field.replace(/^\//, '') === 'note');
        if (noteField) setNoteError(noteField.message);
        setRuleSummary([...byRule].flatMap(([index, list]) => list.map((e) => ({
          id: `rule-${rules[index]?.id ?? index}`,
          message: t('rules.ruleErrors', { key: rules[index]?.id ?? `#${index + 1}`, message: e.message }),
        }))));
        const rest = other.filter((f) => f !== noteField).map((f) => `${f.field}: ${f.message}`);
        setGeneral(rest.length > 0 ? rest.join(' ') : byRule.size === 0 && !noteField ? errorMessage(t, error) : null);
        setAttempt((n) => n + 1);
      } else {
        setGeneral(errorMessage(t, error));
        setAttempt((n) => n + 1);
      }
    } finally {
      setSaving(false);
    }
  }

  async function reloadLatest() {
    try {
      onReloaded(await api.getRoutingRules(null));
      setConflict(null);
    } catch (e) {
      setConflict(e);
    }
  }

  const summary = [...ruleSummary, ...(noteError ? [{ id: 'rules-note', message: noteError }] : [])];
  return (
    <section aria-labelledby="save-heading" className="section no-print">
      <h2 id="save-heading">{t('rules.saveTitle')}</h2>
      <p className={dirty ? 'notice' : 'section__hint'}>{dirty ? t('rules.unsaved') : t('rules.noChanges')}</p>
      {previousDraft && (
        <details className="notice unsaved" open>
          <summary>{t('detail.unsaved')}</summary>
          <RuleTable rules={previousDraft} caption={t('detail.unsaved')} />
          <p className="section__hint">{t('detail.unsavedHint')}</p>
        </details>
      )}
      <form onSubmit={onSubmit} noValidate aria-busy={saving}>
        <ErrorSummary errors={summary} general={general} attempt={attempt} />
        {conflict !== null && <ErrorPanel error={conflict} onRetry={() => void reloadLatest()} retryLabel={t('errors.reloadLatest')} />}
        <FormField id="rules-note" label={t('rules.note')} hint={t('rules.noteHint')} error={noteError} required>
          {(control) => (
            <textarea {...control} rows={2} maxLength={500} value={note} onChange={(e) => { setNote(e.target.value); setNoteError(undefined); }} />
          )}
        </FormField>
        <div className="form-actions">
          <button type="submit" className="button" disabled={saving || !dirty || editingOpen}>{saving ? t('rules.saving') : t('rules.save')}</button>
          <button type="button" className="button button--secondary" disabled={saving || !dirty} onClick={onDiscard}>{t('rules.discard')}</button>
        </div>
      </form>
    </section>
  );
}

/** テスト: where a sample intake would go under the draft rules, unsaved changes included. */
function TestSection({ rules }: { rules: RoutingRule[] }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const { areasById } = useNetwork();
  const [draft, setDraft] = useState<IntakeDraft>(() => emptyDraft(new Date(), session.organization.id));
  const [result, setResult] = useState<RoutingResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setRunning(true);
    setError(null);
    try {
      const intake = draftToRoutingIntake(draft, (id) => areasById.get(id)?.key);
      setResult(await api.evaluateRouting({ intake, rules }));
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby="test-heading" className="section no-print" data-testid="rule-test">
      <h2 id="test-heading">{t('rules.test')}</h2>
      <p className="section__hint">{t('rules.testHint')}</p>
      <div className="test-layout">
        <form onSubmit={onSubmit} noValidate aria-busy={running}>
          <IntakeFields draft={draft} onChange={setDraft} errors={{}} idPrefix="sample" mode="sample" />
          <div className="form-actions">
            <button type="submit" className="button" disabled={running}>{running ? t('rules.testRunning') : t('rules.testRun')}</button>
          </div>
        </form>
        <div className="test-result" aria-live="polite">
          {error !== null && <ErrorPanel error={error} />}
          {result && (
            <>
              <h3 ref={resultRef} tabIndex={-1}>{t('rules.testResult')}</h3>
              <EvaluationResult result={result} level={4} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/** 変更の履歴: every version, newest first; any can be read. */
function HistorySection({ current }: { current: number }) {
  const { t, i18n } = useTranslation();
  const [resource, reload] = useResource(`routing-versions:${current}`, (signal) => api.getRoutingRuleVersions(signal));
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <section aria-labelledby="history-heading" className="section" data-testid="rule-history">
      <h2 id="history-heading">{t('rules.history')}</h2>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('rules.version')}</th>
                <th scope="col">{t('rules.createdAt')}</th>
                <th scope="col">{t('rules.source')}</th>
                <th scope="col">{t('rules.note')}</th>
                <th scope="col">{t('rules.ruleCount')}</th>
                <th scope="col" className="no-print"><span className="visually-hidden">{t('rules.view')}</span></th>
              </tr>
            </thead>
            <tbody>
              {resource.data.items.map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <th scope="row">
                    {t('rules.versionNumber', { version: v.version })}
                    {v.version === current && <> <Badge tone="active">{t('rules.currentBadge')}</Badge></>}
                  </th>
                  <td><DateTimeText value={v.createdAt} /></td>
                  <td>{v.source === 'profile' || v.source === 'editor' ? t(`rules.sourceValue.${v.source}`) : v.source}</td>
                  <td lang="ja">{v.note ?? '—'}</td>
                  <td>{v.ruleCount.toLocaleString(i18n.language)}</td>
                  <td className="no-print">
                    <button type="button" className="button button--small button--secondary" aria-pressed={viewing === v.version}
                      onClick={() => setViewing(viewing === v.version ? null : v.version)}>
                      {t('rules.viewVersion', { version: v.version })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {viewing !== null && <VersionView version={viewing} onClose={() => setViewing(null)} />}
    </section>
  );
}

function VersionView({ version, onClose }: { version: number; onClose(): void }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`routing-rules:${version}`, (signal) => api.getRoutingRules(version, signal));
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (resource.status === 'ok') headingRef.current?.focus();
  }, [resource.status]);
  return (
    <div className="version-view" data-testid="version-view">
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <div className="page__heading">
            <h3 ref={headingRef} tabIndex={-1}>{t('rules.versionTitle', { version })}</h3>
            <button type="button" className="button button--secondary no-print" onClick={onClose}>{t('rules.close')}</button>
          </div>
          <p className="section__hint">
            <DateTimeText value={resource.data.createdAt} />
            {resource.data.note && <> ・ <span lang="ja">{resource.data.note}</span></>}
          </p>
          <RuleTable rules={sortRules(resource.data.rules)} caption={t('rules.versionTitle', { version })} />
        </>
      )}
    </div>
  );
}
