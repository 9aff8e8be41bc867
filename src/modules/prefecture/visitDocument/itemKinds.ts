/**
 * The kinds of the centre's points to a municipality, and the wording rules that
 * give an imported point its kind. The rules are a first reading: staff correct
 * a stored kind, and a corrected kind is never recomputed (kindSetBy 'staff').
 * No imports beyond types: the web bundle can use it.
 */
import type { VisitItemKind } from './types.ts';

export const VISIT_ITEM_KINDS: readonly { kind: VisitItemKind; ja: string; en: string }[] = [
  { kind: 'information', ja: '情報提供', en: 'Information' },
  { kind: 'case_example', ja: '事例紹介', en: 'Example from another municipality' },
  { kind: 'proposal', ja: '提案', en: 'Proposal' },
  { kind: 'guidance', ja: '案内', en: 'Invitation' },
];

export interface VisitItemKindRule {
  kind: VisitItemKind;
  /** A regular expression tried on the point's last words (NFKC, no spaces, no closing 。). */
  pattern: string;
  /** The wording it stands for, as the seed writes it. */
  example: string;
}

/**
 * Tried in order; the first match wins, and a point no rule matches is 情報提供.
 * The centre ends each point with the verb of what it did (seed: 「…を提案。」「…を紹介。」
 * 「…の事例をあげる。」「…について説明。」「…をご案内。」).
 */
export const VISIT_ITEM_KIND_RULES: readonly VisitItemKindRule[] = [
  { kind: 'proposal', pattern: '提案(する|します|した|しました)?$', example: 'サポートネットの多職種専門チームの活用を提案。' },
  { kind: 'guidance', pattern: '(ご|御)?案内(する|します|した|しました)?$', example: '支援者交流会への参加をご案内。' },
  { kind: 'case_example', pattern: '(紹介|事例を(あげ|挙げ)(る|た)|事例を(あげ|挙げ)ます)(する|します|した|しました)?$', example: '…自治体の取り組みを紹介。' },
  { kind: 'information', pattern: '(説明|情報提供|周知)(する|します|した|しました)?$', example: '…民生委員向けの研修について説明。' },
];

const COMPILED = VISIT_ITEM_KIND_RULES.map((r) => ({ kind: r.kind, re: new RegExp(r.pattern) }));

/** The kind a point's wording says it is; 情報提供 when no rule matches. */
export function classifyVisitItem(text: string): VisitItemKind {
  const tail = text.normalize('NFKC').replace(/\s/g, '').replace(/[。．.！!、]+$/, '');
  return COMPILED.find((r) => r.re.test(tail))?.kind ?? 'information';
}
