import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { errorMessage } from '../components/Status.tsx';
import { tabStorage } from '../drafts/storage.ts';
import { forgetUse, rememberedUse, untilText, type RememberedUse } from '../lib/breakGlass.ts';
import { useSignedInSession } from '../session.tsx';
import { breakGlassApi } from './api.ts';

/** How a use ended, said on the emergency page the user is sent back to. */
export interface EmergencyEnded {
  reference: string;
  how: 'ended' | 'expired';
}

/** The use this tab started on this case, while its time lasts (the server does not tell staff). */
export function useRememberedUse(caseId: string): RememberedUse | null {
  const session = useSignedInSession();
  const [use] = useState(() => rememberedUse(tabStorage(), session.user.id, caseId, new Date()));
  return use;
}

/**
 * 「緊急時の閲覧中（閲覧のみ・14時05分まで）」 at the top of a case opened
 * through break-the-glass, with the button that ends it. When the time runs
 * out, or the user ends it, the case leaves the screen: the user is taken
 * back to the emergency page, which says so.
 */
export function EmergencyBanner({ caseId, reference, use }: { caseId: string; reference: string; use: RememberedUse }) {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const ref = useRef<HTMLElement>(null);
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = (how: EmergencyEnded['how']) => {
    forgetUse(tabStorage(), session.user.id, caseId);
    navigate('/emergency-access', { replace: true, state: { ended: { reference, how } satisfies EmergencyEnded } });
  };

  useEffect(() => {
    // After the page's own focus handling, so the banner is what is read out first.
    requestAnimationFrame(() => ref.current?.focus());
    const timer = window.setTimeout(() => leave('expired'), Math.max(0, Date.parse(use.expiresAt) - Date.now()));
    return () => window.clearTimeout(timer);
  }, [use.id]);

  async function end() {
    if (ending) return;
    setEnding(true);
    setError(null);
    try {
      await breakGlassApi.end(use.id);
      leave('ended');
    } catch (e) {
      // Already ended (by the time limit's job, or in another tab): it is over all the same.
      if (e instanceof ApiError && e.status === 404) return leave('ended');
      setEnding(false);
      setError(errorMessage(t, e));
    }
  }

  return (
    <section ref={ref} tabIndex={-1} className="break-glass-banner" aria-labelledby="break-glass-banner-title" data-testid="break-glass-banner">
      <p id="break-glass-banner-title" className="break-glass-banner__title">
        {t('breakGlass.banner', { until: untilText(use.expiresAt, new Date(), i18n.language) })}
      </p>
      <p className="break-glass-banner__hint">{t('breakGlass.bannerHint')}</p>
      {error && <p role="alert" className="break-glass-banner__error">{error}</p>}
      <button type="button" className="button break-glass-banner__end no-print" onClick={() => void end()} disabled={ending} aria-busy={ending}>
        {ending ? t('breakGlass.ending') : t('breakGlass.end')}
      </button>
    </section>
  );
}
