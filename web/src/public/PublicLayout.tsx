import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useRouteFocus } from '../components/routeFocus.ts';

/**
 * The frame of residents' pages: no sign-in, no staff menu, the
 * municipality's name and the language switch. Phone first.
 */
export function PublicLayout({ municipality, title, tagline, children }: { municipality: string | null; title: string; tagline?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const mainRef = useRouteFocus<HTMLElement>();
  useEffect(() => {
    document.title = municipality ? `${title} | ${municipality}` : title;
  }, [title, municipality]);
  return (
    <div className="public-page">
      <a className="skip-link" href="#main">{t('app.skipToContent')}</a>
      <header className="public-page__header">
        <p className="public-page__name">
          {municipality && <span lang="ja">{municipality}</span>}
          <span className="public-page__tagline">{tagline ?? t('publicPage.tagline')}</span>
        </p>
        <LanguageSwitch />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="public-page__main">
        {children}
      </main>
      <footer className="public-page__footer"><p>{t('publicPage.footer')}</p></footer>
    </div>
  );
}

/** An unknown resident page: said plainly, with no link into the staff side. */
export function PublicNotFound() {
  const { t } = useTranslation();
  return (
    <PublicLayout municipality={null} title={t('notFound.title')}>
      <h1>{t('notFound.title')}</h1>
      <p>{t('publicPage.notFound')}</p>
    </PublicLayout>
  );
}
