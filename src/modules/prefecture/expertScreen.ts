/**
 * Screens the free text of an expert-team submission against the case's own
 * personal data. Both sides are folded the same way — NFKC (full-width and
 * half-width alike), hiragana to katakana, lower case, without spaces or
 * hyphens — so 「山田　太郎」, 「山田 太郎」, 「ﾔﾏﾀﾞﾀﾛｳ」 and 「やまだたろう」 all
 * match. A hit gives its place in the text as the submitter typed it and the
 * kind of data matched, never the data itself.
 */

export const HIT_KINDS = ['name', 'kana', 'address', 'phone', 'email'] as const;
export type HitKind = (typeof HIT_KINDS)[number];

export interface IdentityValue { kind: HitKind; value: string }
export interface ScreenHit { kind: HitKind; start: number; end: number }

const DROP = /[\s\-‐‑‒–—―−－・]/u;

function foldChar(c: string): string {
  const n = c.normalize('NFKC').toLowerCase();
  // hiragana → katakana, so kana written either way meet
  return [...n].map((ch) => {
    const cp = ch.codePointAt(0)!;
    return cp >= 0x3041 && cp <= 0x3096 ? String.fromCodePoint(cp + 0x60) : ch;
  }).join('');
}

/** The folded text, and for each folded character the index (in UTF-16 units) of the original character it came from. */
export function fold(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const c of text) {
    const start = i;
    i += c.length;
    if (DROP.test(c)) continue;
    let f = foldChar(c);
    // a half-width sound mark (ﾞ, ﾟ) joins the kana before it
    if (/^[\u3099\u309A]$/u.test(f) && folded.length) {
      const joined = (folded.slice(-1) + f).normalize('NFC');
      if (joined.length === 1) {
        folded = folded.slice(0, -1) + joined;
        to[to.length - 1] = i;
        continue;
      }
    }
    f = f.normalize('NFC');
    for (const ch of f) {
      if (DROP.test(ch)) continue;
      folded += ch;
      from.push(start);
      to.push(i);
    }
  }
  return { folded, from, to };
}

export const foldValue = (value: string) => fold(value).folded;

/**
 * The values to look for: each whole value, and for names and kana also each
 * part of two characters or more (a family name alone identifies as well).
 */
export function identityNeedles(values: IdentityValue[]): { kind: HitKind; needle: string }[] {
  const out = new Map<string, HitKind>();
  for (const { kind, value } of values) {
    if (!value?.trim()) continue;
    const whole = foldValue(value);
    if (whole.length >= 2 && !out.has(whole)) out.set(whole, kind);
    if (kind === 'name' || kind === 'kana')
      for (const part of value.split(/[\s\u3000・]+/u)) {
        const p = foldValue(part);
        if (p.length >= 2 && !out.has(p)) out.set(p, kind);
      }
    if (kind === 'address') {
      // the street part alone, without the prefecture and municipality
      const street = whole.replace(/^.+?[都道府県]/u, '').replace(/^.+?[市区町村]/u, '');
      if (street.length >= 4 && !out.has(street)) out.set(street, kind);
    }
    if (kind === 'phone') {
      const digits = whole.replace(/\D/g, '');
      if (digits.length >= 6 && !out.has(digits)) out.set(digits, kind);
    }
  }
  return [...out].map(([needle, kind]) => ({ needle, kind }));
}

/** Every place the text holds one of the values, longest match first where they overlap. */
export function screen(text: string, values: IdentityValue[]): ScreenHit[] {
  const { folded, from, to } = fold(text);
  const needles = identityNeedles(values).sort((a, b) => b.needle.length - a.needle.length);
  const taken = new Array<boolean>(folded.length).fill(false);
  const hits: ScreenHit[] = [];
  for (const { needle, kind } of needles) {
    let at = folded.indexOf(needle);
    while (at >= 0) {
      const end = at + needle.length;
      if (!taken.slice(at, end).some(Boolean)) {
        taken.fill(true, at, end);
        hits.push({ kind, start: from[at], end: to[end - 1] });
      }
      at = folded.indexOf(needle, at + 1);
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}
