import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Loading } from '../components/Status.tsx';
import { useResource } from '../useResource.ts';
import { navigatorApi } from './navigatorApi.ts';

export type PublicPage = 'navigator' | 'windows' | 'concern' | 'events';

/**
 * The municipality a resident page is for: `/public/{code}/…` on a site that
 * serves several, or `?municipality=` as the concern form takes it; none
 * where the site serves one.
 */
export function useMunicipalityCode(): string | null {
  const { municipality } = useParams();
  const [params] = useSearchParams();
  const code = municipality ?? params.get('municipality');
  return code && /^[0-9]{6}$/.test(code) ? code : null;
}

/** The path of a resident page for the same municipality. */
export function publicPath(code: string | null, page: PublicPage): string {
  return code ? `/public/${code}/${page}` : `/public/${page}`;
}

/** The server asked which municipality (it serves several, and the path named none). */
export function asksForMunicipality(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && error.fields.some((f) => f.field.replace(/^\//, '') === 'municipality');
}

/** The municipalities this site serves, each linking to the same page for it. */
export function MunicipalityChooser({ page }: { page: PublicPage }) {
  const { t, i18n } = useTranslation();
  const [list] = useResource('municipalities', (signal) => navigatorApi.listMunicipalities(signal));
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') return <p role="alert">{t('errors.network')}</p>;
  return (
    <nav aria-labelledby="choose-municipality">
      <h2 id="choose-municipality">{t('navigator.chooseMunicipality')}</h2>
      <ul className="municipality-list">
        {list.data.items.map((m) => (
          <li key={m.code}>
            <Link className="button button--secondary button--large" to={publicPath(m.code, page)}>
              {i18n.language === 'en' && m.nameEn ? m.nameEn : m.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
