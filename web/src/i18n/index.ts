import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api.ts';
import ja from './ja.json';
import en from './en.json';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'tsunagu.language';

// Fails to compile when the English file misses a key the Japanese one has.
const english: typeof ja = en;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ja };
  }
}

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja'; // storage blocked (private mode, policy): Japanese first
  }
}

void i18n.use(initReactI18next).init({
  resources: { ja: { translation: ja }, en: { translation: english } },
  lng: storedLanguage(),
  fallbackLng: 'ja',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes
});

document.documentElement.lang = i18n.language;
setRequestLanguage(uiLanguage(i18n.language));
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  setRequestLanguage(uiLanguage(language));
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // the choice then lasts for this page only
  }
});

/** The UI language, narrowed to the ones we ship. */
export function uiLanguage(language: string): Language {
  return language === 'en' ? 'en' : 'ja';
}

export default i18n;
