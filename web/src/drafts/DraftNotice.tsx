import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Draft } from './useDraft.ts';

/**
 * 「入力途中の内容を復元しました」 with 「破棄」, at the top of a form whose
 * draft was put back. Discarding starts the form afresh and moves focus to
 * its first field.
 */
export function DraftNotice({ draft }: { draft: Pick<Draft<unknown>, 'restored' | 'discard'> }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  if (!draft.restored) return null;
  return (
    <div ref={ref} className="notice draft-notice" data-testid="draft-notice">
      <p id={id}>{t('draft.restored')}</p>
      <button
        type="button" className="button button--secondary button--small" aria-describedby={id}
        onClick={() => {
          const form = ref.current?.closest('form');
          draft.discard();
          requestAnimationFrame(() => form?.querySelector<HTMLElement>('input:not([type=hidden]):not(:disabled), select, textarea')?.focus());
        }}
      >
        {t('draft.discard')}
      </button>
    </div>
  );
}
