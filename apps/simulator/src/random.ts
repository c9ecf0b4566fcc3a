import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Seeded draws for one patient (pure-rand's xoroshiro128+): a patient's journey depends only on the
 * cohort seed and the patient's number, so the same seed gives the same events whatever else runs.
 */
export class Draws {
  private readonly rng;

  constructor(seed: number, stream: number) {
    // Mix the cohort seed and the patient number into one 32-bit seed (a splitmix-style scramble).
    let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
    this.rng = xoroshiro128plus(x ^ (x >>> 15));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  between(from: number, to: number): number {
    return from + (to - from) * this.next();
  }

  int(from: number, to: number): number {
    return Math.floor(this.between(from, to + 1));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Index drawn by weights (they need not sum to 1). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]!) < 0) return i;
    return weights.length - 1;
  }

  /** A key of a record of shares. */
  share<K extends string>(shares: Readonly<Record<K, number>>): K {
    const keys = Object.keys(shares) as K[];
    return keys[this.weighted(keys.map((k) => shares[k]))]!;
  }

  /** Poisson count with the given mean (Knuth; means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }
}
