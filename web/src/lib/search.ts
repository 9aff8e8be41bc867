/**
 * Folds the ways one name can be typed (全角/半角, カタカナ/ひらがな, case)
 * so that 'それいゆ', 'ソレイユ' and 'ｿﾚｲﾕ' find the same organisation.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/\s+/g, '');
}

/** True when the query is empty or any of the names contains it. */
export function matchesQuery(query: string, names: readonly (string | null | undefined)[]): boolean {
  const q = foldForSearch(query);
  if (!q) return true;
  return names.some((name) => !!name && foldForSearch(name).includes(q));
}
