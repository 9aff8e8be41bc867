import { useTranslation } from 'react-i18next';
import { useSignedInSession } from '../session.tsx';

/**
 * Said quietly where records are read, when the user's membership lacks the
 * 要配慮 grant: the server left 要配慮個人情報 out (src/http/sensitive.ts), so
 * what is shown is not all there is.
 */
export function SensitiveNote() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  if (session.sensitiveAccess) return null;
  return <p className="sensitive-note" data-testid="sensitive-note">{t('sensitive.notice')}</p>;
}
