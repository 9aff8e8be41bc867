import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import localizeJa from 'ajv-i18n/localize/ja/index.js';

// both packages are CommonJS with a default export
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const localizeJapanese = ((localizeJa as unknown as { default?: unknown }).default ?? localizeJa) as unknown as (errors: ErrorObject[]) => void;

export function createAjv(opts: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, ...opts });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export type Lang = 'ja' | 'en';

/** The field an Ajv error is about, as a dotted path (`organizations[3].kind`). */
export function errorField(e: ErrorObject): string {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') segments.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty));
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

/** The error's message in the given language, with the allowed values when there is a list. */
export function errorMessage(e: ErrorObject, lang: Lang): string {
  const copy = { ...e };
  if (lang === 'ja') localizeJapanese([copy]);
  let message = copy.message ?? '';
  if (e.keyword === 'enum') {
    const allowed = (e.params.allowedValues as unknown[]).map(String).join(', ');
    message += lang === 'ja' ? `（${allowed}）` : `: ${allowed}`;
  }
  if (e.keyword === 'additionalProperties') {
    message = lang === 'ja' ? 'この項目は使えません' : 'is not a known field';
  }
  return message;
}
