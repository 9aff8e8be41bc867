import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router-dom';

/**
 * Keyset paging links under a list: back to the first page when on a later
 * one, and on to the next while the server says there is one. The cursor
 * lives in the URL so Back and reload keep the page. Two lists on one page
 * give their pagers a `label` each, so the two navigations can be told apart.
 */
export function Pager({ cursor, nextCursor, link, label }: { cursor: string | undefined; nextCursor: string | null; link(cursor?: string): string; label?: string }) {
  const { t } = useTranslation();
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={label ?? t('queue.pages')} className="pager no-print">
      {cursor && <Link to={link()}>{t('queue.first')}</Link>}
      {nextCursor && <Link to={link(nextCursor)} className="pager__next">{t('queue.next')}</Link>}
    </nav>
  );
}

/**
 * A list's page cursor kept in the URL under `name` (a page with two lists
 * gives each its own), and links to another page of it that keep the other
 * search params.
 */
export function useCursorParam(name = 'cursor'): { cursor: string | undefined; link(cursor?: string): string } {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const link = (next?: string) => {
    const p = new URLSearchParams(params);
    if (next) p.set(name, next);
    else p.delete(name);
    const query = p.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
  return { cursor: params.get(name) ?? undefined, link };
}
