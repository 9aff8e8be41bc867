import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/**
 * Keyset paging links under a list: back to the first page when on a later
 * one, and on to the next while the server says there is one. The cursor
 * lives in the URL so Back and reload keep the page.
 */
export function Pager({ cursor, nextCursor, link }: { cursor: string | undefined; nextCursor: string | null; link(cursor?: string): string }) {
  const { t } = useTranslation();
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={t('queue.pages')} className="pager no-print">
      {cursor && <Link to={link()}>{t('queue.first')}</Link>}
      {nextCursor && <Link to={link(nextCursor)} className="pager__next">{t('queue.next')}</Link>}
    </nav>
  );
}
