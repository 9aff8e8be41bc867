/** Japan's offset; dates of record (受付日, 年度) are Japan dates whatever the server's zone. */
const JST_OFFSET_MS = 9 * 3_600_000;

/** The calendar date in Japan of an instant, as 'YYYY-MM-DD'. */
export function japanDate(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The fiscal year (年度, April–March, 地方自治法第208条) an instant falls in, by its Japan date. */
export function fiscalYearOf(at: Date): number {
  const [y, m] = japanDate(at).split('-').map(Number);
  return m >= 4 ? y : y - 1;
}
