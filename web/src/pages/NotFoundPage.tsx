import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePageTitle } from '../components/PageTools.tsx';

/** 見つかりません, for an unknown path or a record that does not exist (or is not visible). */
export function NotFound({ message }: { message?: string }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  usePageTitle(t('notFound.title'));
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <article className="page not-found">
      <h1 ref={headingRef} tabIndex={-1}>{t('notFound.title')}</h1>
      <p>{message ?? t('notFound.page')}</p>
      <p><Link to="/">{t('notFound.back')}</Link></p>
    </article>
  );
}

export function NotFoundPage() {
  return <NotFound />;
}
