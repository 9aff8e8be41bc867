import { Type, type TSchema, type TUnsafe } from 'typebox';

/** A string restricted to a list of values: `{ type: string, enum }`, which gives clearer errors than anyOf of literals. */
export function StringEnum<const T extends readonly string[]>(values: T, opts: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** ISO calendar date, or a month (`2021-04`) or year where the source gives no more. */
export const PartialDate = Type.String({
  pattern: '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$',
  description: 'YYYY, YYYY-MM or YYYY-MM-DD',
});

export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** Text PostgreSQL cannot store: U+0000, or (in JSON) an unpaired surrogate. */
export const unstorable = (s: string) => s.includes('\u0000') || /\p{Cs}/u.test(s);
