import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES } from '../i18n/index.ts';

/** 日本語 / English; each label is written in its own language so anyone can find theirs. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch no-print" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={i18n.language === language}
          onClick={() => void changeLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}
