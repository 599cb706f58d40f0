// Seeded random numbers for the sample generators (pure-rand), so that the samples can be rebuilt bit for bit.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

export function seeded(seed: number): Rng {
  const generator = xoroshiro128plus(seed);
  const next = (): number => (generator.next() >>> 0) / 2 ** 32;
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
