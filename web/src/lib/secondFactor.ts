/**
 * The second factor at sign-in, as the forms read and show it. Pure: tested
 * with tables.
 */

/** What was typed, as the server wants it: full-width digits (an IME left on) made half-width, spaces and hyphens dropped. */
export const normalizeCode = (typed: string) => typed.normalize('NFKC').replace(/[\s-]/g, '');

/** A six-digit authenticator code. */
export const isSixDigitCode = (typed: string) => /^\d{6}$/.test(normalizeCode(typed));

/** A recovery code as printed ('AB12C-3D4EF'): ten letters and digits once hyphens and spaces are gone. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.normalize('NFKC').trim().toUpperCase();
}

export const isRecoveryCode = (typed: string) => /^[0-9A-Z]{10,20}$/.test(normalizeRecoveryCode(typed).replace(/[\s-]/g, ''));

/** The setup key in groups of four ('JBSW Y3DP …'), easier to copy by hand. */
export const groupSecret = (secret: string) => secret.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');

/**
 * The QR code as an image source: the SVG text base64-encoded into a data
 * URL, so it is shown as a picture and never parsed into the page.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}
