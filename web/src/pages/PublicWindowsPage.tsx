import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { formatDate } from '../lib/dates.ts';
import { PublicLayout } from '../public/PublicLayout.tsx';
import { WindowCard } from '../public/WindowCard.tsx';
import { asksForMunicipality, MunicipalityChooser, useMunicipalityCode } from '../public/municipality.tsx';
import { navigatorApi } from '../public/navigatorApi.ts';
import { useResource } from '../useResource.ts';
import { PublicLinks } from './PublicNavigatorPage.tsx';

/**
 * 相談窓口の一覧: every window and program, grouped by who it is for. Made
 * to be printed as an A4 leaflet (print styles in styles.css: no header
 * menu, each window kept whole, each group starting on its own page only
 * when it would not fit).
 */
export function PublicWindowsPage() {
  const { t, i18n } = useTranslation();
  const code = useMunicipalityCode();
  const [list, reload] = useResource(`windows:${code ?? ''}`, (signal) => navigatorApi.getWindows(code, signal));
  const title = t('windows.title');

  if (list.status !== 'ok') {
    return (
      <PublicLayout municipality={null} title={title} tagline={t('navigator.tagline')}>
        <h1>{title}</h1>
        {list.status === 'loading' && <Loading />}
        {list.status === 'error' && (asksForMunicipality(list.error)
          ? <MunicipalityChooser page="windows" />
          : list.error instanceof ApiError && list.error.status === 404
            ? <p>{t('navigator.notServed')}</p>
            : <ErrorPanel error={list.error} onRetry={reload} />)}
      </PublicLayout>
    );
  }

  const { municipality, groups, updatedAt } = list.data;
  const count = groups.reduce((n, g) => n + g.windows.length, 0);
  const someWithoutContact = groups.some((g) => g.windows.some((w) => {
    const c = w.contact;
    return c.phones.length === 0 && !c.email && !c.website && !c.address;
  }));
  const municipalityName = i18n.language === 'en' && municipality.nameEn ? municipality.nameEn : municipality.name;
  return (
    <PublicLayout municipality={municipality.name} title={title} tagline={t('navigator.tagline')}>
      <div className="leaflet" data-testid="leaflet">
        <header className="leaflet__header">
          <p className="leaflet__municipality">{municipalityName}</p>
          <h1>{title}</h1>
          <p>{t('windows.intro', { count })}</p>
          {updatedAt && <p className="leaflet__date">{t('windows.asOf', { date: formatDate(updatedAt, i18n.language) })}</p>}
          {someWithoutContact && <p>{t('windows.noContactSome')}</p>}
        </header>
        <PublicLinks code={code} here="windows" />
        <p className="no-print"><button type="button" className="button button--secondary" onClick={() => window.print()}>{t('windows.print')}</button></p>
        <nav className="leaflet__contents no-print" aria-label={t('windows.contents')}>
          <ul>
            {groups.map((g) => <li key={g.audience}><a href={`#audience-${g.audience}`}>{t(`windows.audience.${g.audience}`)}</a></li>)}
          </ul>
        </nav>
        {groups.map((g) => (
          <section key={g.audience} id={`audience-${g.audience}`} className="leaflet__group" aria-labelledby={`audience-${g.audience}-heading`} tabIndex={-1}>
            <h2 id={`audience-${g.audience}-heading`}>{t(`windows.audience.${g.audience}`)}</h2>
            <p className="leaflet__group-note">{t(`windows.audienceNote.${g.audience}`)}</p>
            <ul className="leaflet__windows">
              {g.windows.map((w) => (
                <li key={w.id}>
                  <WindowCard window={w} testId="leaflet-window">
                    {w.whenToContact.length > 0 && (
                      <ul className="window-card__when" aria-label={t('windows.whenToContact')}>
                        {w.whenToContact.map((r) => <li key={r} lang="ja">{r}</li>)}
                      </ul>
                    )}
                  </WindowCard>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <footer className="leaflet__footer">
          <p>{t('windows.footer')}</p>
        </footer>
      </div>
    </PublicLayout>
  );
}
