import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random stream (mulberry32, as in bench/routing.ts): small,
 * fast and repeatable. The synthetic data generator draws everything from it,
 * ids included, so the same seed gives the same data. Never Math.random.
 */
export class Rng {
  #a: number;

  constructor(seed: number) {
    this.#a = seed >>> 0;
  }

  /** A stream of its own for each part (seed, municipality, …), so parts do not shift each other. */
  static of(...parts: (string | number)[]): Rng {
    return new Rng(createHash('sha256').update(parts.join('/')).digest().readUInt32LE(0));
  }

  u32(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** In [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  between(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.float() * xs.length)];
  }

  /** One of the values, with the given relative weights. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.float() * total;
    for (const [v, w] of table) {
      x -= w;
      if (x < 0) return v;
    }
    return table[table.length - 1][0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median: most values near it, a long tail above. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A version-4-shaped UUID drawn from the stream (so ids repeat with the seed). */
  uuid(): string {
    const h = hex8(this.u32()) + hex8(this.u32()) + hex8(this.u32()) + hex8(this.u32());
    const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
