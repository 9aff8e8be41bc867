import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { publicPath, useMunicipalityCode, type PublicPage } from '../public/municipality.tsx';
import { navigatorApi } from '../public/navigatorApi.ts';
import { PublicLayout, PublicNotFound } from '../public/PublicLayout.tsx';
import { useResource } from '../useResource.ts';

const PAGES: PublicPage[] = ['navigator', 'concern', 'windows', 'events'];

/**
 * The residents' front page: `/public/` chooses the municipality when the
 * site serves several (one is shown directly), `/public/{code}/` lists what
 * a resident can do there.
 */
export function PublicHomePage() {
  const { t, i18n } = useTranslation();
  const code = useMunicipalityCode();
  const { municipality: written } = useParams();
  const [list, reload] = useResource('public-municipalities', (signal) => navigatorApi.listMunicipalities(signal));
  const name = (m: { name: string; nameEn: string | null }) => (i18n.language === 'en' && m.nameEn ? m.nameEn : m.name);
  if (written !== undefined && !code) return <PublicNotFound />;
  if (list.status === 'loading') return <PublicLayout municipality={null} title={t('publicHome.title')}><Loading /></PublicLayout>;
  if (list.status === 'error') return <PublicLayout municipality={null} title={t('publicHome.title')}><ErrorPanel error={list.error} onRetry={reload} /></PublicLayout>;
  const all = list.data.items;
  const chosen = code ? all.find((m) => m.code === code) : all.length === 1 ? all[0] : undefined;
  if (code && !chosen) return <PublicNotFound />;
  if (!chosen) {
    return (
      <PublicLayout municipality={null} title={t('publicHome.title')}>
        <h1>{t('publicHome.title')}</h1>
        <p>{t('publicHome.choose')}</p>
        <ul className="municipality-list" data-testid="public-municipalities">
          {all.map((m) => (
            <li key={m.code}><Link className="button button--secondary button--large" to={`/public/${m.code}/`}>{name(m)}</Link></li>
          ))}
        </ul>
      </PublicLayout>
    );
  }
  // a site with one municipality keeps its plain paths
  const pathCode = all.length === 1 ? null : chosen.code;
  return (
    <PublicLayout municipality={chosen.name} title={t('publicHome.title')}>
      <h1>{t('publicHome.titleOf', { name: name(chosen) })}</h1>
      <ul className="public-home__links" data-testid="public-pages">
        {PAGES.map((p) => (
          <li key={p}>
            <Link className="button button--large" to={publicPath(pathCode, p)}>{t(`publicHome.page.${p}`)}</Link>
            <p>{t(`publicHome.about.${p}`)}</p>
          </li>
        ))}
      </ul>
    </PublicLayout>
  );
}
