import { useTranslation } from 'react-i18next';

interface Named {
  name: string;
  nameEn?: string | null;
}

/** The English name in English when there is one, else the (Japanese) name, marked with its language. */
export function useLocalName(): (item: Named) => { text: string; lang: 'ja' | 'en' } {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (item) => (english && item.nameEn ? { text: item.nameEn, lang: 'en' } : { text: item.name, lang: 'ja' });
}

export function LocalName({ item }: { item: Named }) {
  const { text, lang } = useLocalName()(item);
  return <span lang={lang}>{text}</span>;
}
