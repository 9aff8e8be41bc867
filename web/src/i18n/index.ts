import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api.ts';
import ja from './ja.json';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'tsunagu.language';

// English is fetched when it is chosen, not with every first load (it is about 140 kB).
// `english` fails to compile when the English file misses a key the Japanese one has.
const english = (en: typeof import('./en.json')): typeof ja => en;
const loadEnglish = () => import('./en.json').then((m) => {
  i18n.addResourceBundle('en', 'translation', english(m.default), true, true);
});

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
  resources: { ja: { translation: ja } },
  partialBundledLanguages: true,
  lng: 'ja',
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

/** Switches the UI language, first fetching its texts if need be. */
export async function changeLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) await loadEnglish();
  await i18n.changeLanguage(language);
}

/**
 * Settles once the language the user chose last time is in place, so the app
 * is not first drawn in the other one. If English cannot be fetched, the app
 * stays in Japanese.
 */
export const languageReady: Promise<void> = storedLanguage() === 'en' ? changeLanguage('en').catch(() => {}) : Promise.resolve();

/** The UI language, narrowed to the ones we ship. */
export function uiLanguage(language: string): Language {
  return language === 'en' ? 'en' : 'ja';
}

export default i18n;
