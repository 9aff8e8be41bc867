import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSignedInSession } from '../session.tsx';
import { usePageTitle } from './PageTools.tsx';

/** A signed-in page for some roles only; others are told so instead of meeting a 403 from the server. */
export function RequireRole({ allowed, children }: { allowed: (role: string) => boolean; children: ReactNode }) {
  const { role } = useSignedInSession();
  return allowed(role) ? <>{children}</> : <Forbidden />;
}

function Forbidden() {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  usePageTitle(t('errors.forbiddenTitle'));
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <article className="page not-found">
      <h1 ref={headingRef} tabIndex={-1}>{t('errors.forbiddenTitle')}</h1>
      <p>{t('errors.forbidden')}</p>
      <p><Link to="/">{t('notFound.back')}</Link></p>
    </article>
  );
}
