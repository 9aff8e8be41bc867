import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { EvaluationResult } from '../routing/RoutingViews.tsx';
import type { RoutingIntake, RoutingResult } from '../types.ts';

/** Long enough not to ask on every key, short enough to follow the user. */
const DEBOUNCE_MS = 400;

/**
 * 「振り分けの提案」 beside the intake form: where the rules in force would
 * send what is filled in so far, and what to ask to decide the rest.
 */
export function LiveSuggestions({ intake }: { intake: RoutingIntake }) {
  const { t } = useTranslation();
  const key = JSON.stringify(intake);
  const [result, setResult] = useState<RoutingResult | null>(null);
  const [pending, setPending] = useState(true);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setPending(true);
    const timer = setTimeout(() => {
      api.evaluateRouting({ intake }, controller.signal).then(
        (next) => {
          setResult(next);
          setFailed(false);
          setPending(false);
        },
        () => {
          if (controller.signal.aborted) return;
          setFailed(true);
          setPending(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` is the intake's content; the object itself is new on every render.
  }, [key]);

  return (
    <aside className="live-panel" aria-labelledby="live-panel-heading" data-testid="live-suggestions">
      <h2 id="live-panel-heading">{t('routing.panelTitle')}</h2>
      <p className="section__hint">{t('routing.panelHint')}</p>
      {/* Only the outcome is announced, not every update while typing. */}
      <p className="live-panel__status" role="status">
        {result && !pending ? t('routing.summaryCount', { suggestions: result.suggestions.length, undecided: result.undecided.length }) : ''}
      </p>
      {pending && <p className="status-loading" aria-hidden="true">{t('routing.updating')}</p>}
      {failed && <p className="form-error">{t('routing.failed')}</p>}
      {result && <div className={pending ? 'live-panel__result live-panel__result--stale' : 'live-panel__result'}><EvaluationResult result={result} level={3} /></div>}
    </aside>
  );
}
