/**
 * The concern form's proof of work: find n such that SHA-256(`${token}:${n}`)
 * starts with `difficulty` zero bits. It costs a browser a fraction of a
 * second and a script sending thousands of forms real time; no third-party
 * CAPTCHA service sees the resident.
 */

/** Leading zero bits of a hash. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/**
 * Solves a challenge with the browser's own SHA-256 (crypto.subtle, which
 * needs a secure context: https or localhost). Hashes in batches, so the page
 * stays responsive; stops when `signal` aborts.
 */
export async function solveChallenge(token: string, difficulty: number, signal?: AbortSignal, batch = 256): Promise<string> {
  const encoder = new TextEncoder();
  for (let start = 0; ; start += batch) {
    signal?.throwIfAborted();
    const hashes = await Promise.all(
      Array.from({ length: batch }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(`${token}:${start + i}`))),
    );
    const found = hashes.findIndex((hash) => leadingZeroBits(new Uint8Array(hash)) >= difficulty);
    if (found !== -1) return String(start + found);
  }
}
