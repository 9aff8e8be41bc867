import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

export function PrintButton() {
  const { t } = useTranslation();
  return <button type="button" className="button button--secondary no-print" onClick={() => window.print()}>{t('app.print')}</button>;
}

/** Sets the browser tab's title: 「page | つなぐ」. */
export function usePageTitle(title: string | null): void {
  const { t } = useTranslation();
  const app = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} | ${app}` : app;
  }, [title, app]);
}
