/**
 * A count in the figures: a number, or "<3" where a small count is suppressed
 * for publication. Types only, so the web app can import it as it is.
 */
export type Count = number | string;
