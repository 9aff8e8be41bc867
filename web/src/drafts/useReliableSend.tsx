import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isKeyReusedForOtherContent, keyIsSpent, outcomeUnknown, withRetries } from '../lib/retry.ts';
import type { IdempotencyKey } from './useDraft.ts';

export type SendResult<T> =
  | { ok: true; value: T }
  /** `said`: the failure is already shown by the send status (the form shows nothing more). */
  | { ok: false; error: unknown; said: boolean };

type Phase = 'idle' | 'sending' | 'retrying' | 'failed' | 'reused';

/**
 * Sends a new record so that nothing typed is lost and nothing is recorded
 * twice: with the form's Idempotency-Key, retried by itself a few times while
 * the outcome is unknown (no answer, 503…), saying so meanwhile. If it still
 * fails, the form keeps its content and offers to send again with the same
 * key. `status` is the message to place just above the form's buttons.
 */
export function useReliableSend({ drafted }: { drafted: boolean }) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [shown, setShown] = useState(0);

  async function send<T>(key: IdempotencyKey, attempt: (key: string) => Promise<T>): Promise<SendResult<T>> {
    const k = key.current();
    setPhase('sending');
    try {
      const value = await withRetries(() => attempt(k), { onRetry: () => setPhase('retrying') });
      setPhase('idle');
      return { ok: true, value };
    } catch (error) {
      if (outcomeUnknown(error)) {
        setPhase('failed');
        setShown((n) => n + 1);
        return { ok: false, error, said: true };
      }
      if (keyIsSpent(error)) key.renew();
      if (isKeyReusedForOtherContent(error)) {
        setPhase('reused');
        setShown((n) => n + 1);
        return { ok: false, error, said: true };
      }
      setPhase('idle');
      return { ok: false, error, said: false };
    }
  }

  return {
    send,
    busy: phase === 'sending' || phase === 'retrying',
    status: <SendStatus phase={phase} shown={shown} drafted={drafted} />,
  };
}

function SendStatus({ phase, shown, drafted }: { phase: Phase; shown: number; drafted: boolean }): ReactNode {
  const { t } = useTranslation();
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Each failure is read out where the user pressed save.
    if (shown > 0) alertRef.current?.focus();
  }, [shown]);
  return (
    <>
      <p role="status" className={phase === 'retrying' ? 'send-status' : 'visually-hidden'} data-testid="send-status">
        {phase === 'retrying' ? t('send.retrying') : ''}
      </p>
      {(phase === 'failed' || phase === 'reused') && (
        <div ref={alertRef} className="error-panel" role="alert" tabIndex={-1} data-testid="send-failed">
          {phase === 'failed'
            ? (
              <>
                <p>{drafted ? t('send.failedDrafted') : t('send.failed')}</p>
                {/* Submits the form again: its checks run, and the same key goes with it. */}
                <button type="submit" className="button">{t('send.again')}</button>
              </>
            )
            : <p>{t('send.keyReused')}</p>}
        </div>
      )}
    </>
  );
}
