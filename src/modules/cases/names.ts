/**
 * Japanese name matching that tolerates how names get typed: full- and
 * half-width forms, katakana or hiragana readings, and spaces in any place.
 */

/** NFKC folds half-width katakana and full-width letters; katakana become hiragana; spaces go. */
export function nameKey(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKC')
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s\u3000・･]/g, '')
    .toLowerCase();
}

/**
 * The bigrams of a normalised string (and single characters, so one-character
 * queries and names still match). Stored in a GIN-indexed array, this gives the
 * same substring search on PGlite and PostgreSQL without locale-dependent text search.
 */
export function grams(s: string): string[] {
  const chars = [...s];
  const out = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return [...out];
}

/** The grams to index for a person: name and reading. */
export const personGrams = (name: string | null, kana: string | null) => [...new Set([...grams(nameKey(name)), ...grams(nameKey(kana))])];

/** The grams a search query must all contain: bigrams, or the single character of a one-character query. */
export function queryGrams(q: string): string[] {
  const key = nameKey(q);
  const chars = [...key];
  if (chars.length <= 1) return chars;
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return [...out];
}

/**
 * SQL: person `p` has every gram of the array parameter `grams` (queryGrams), looked up among the
 * grams of municipality `municipality` alone (the index of migration 0053 keys each gram with its
 * municipality). Callers still require `p.municipality_id` to equal it.
 */
export const municipalGramsSql = (municipality: string, grams: string) =>
  `municipal_grams(p.municipality_id, p.search_grams) @> municipal_grams(${municipality}::uuid, ${grams}::text[])`;
