// The one source of randomness for splits: a seeded xoroshiro128+ stream (pure-rand).
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export interface SeededRandom {
  /** Uniform integer in [0, n). */
  below(n: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  // xoroshiro128plus takes a 32-bit integer seed; fold the high bits of larger seeds in so they stay distinct.
  const whole = Math.trunc(seed);
  const low = whole | 0;
  const high = Math.floor(whole / 2 ** 32) | 0;
  const rng = xoroshiro128plus(low ^ Math.imul(high, 0x9e3779b1));
  return { below: (n) => uniformInt(rng, 0, n - 1) };
}

/** Fisher-Yates shuffle in place, driven by `random`. */
export function shuffleInPlace(values: Uint32Array | number[], random: SeededRandom): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    const swap = values[i];
    values[i] = values[j];
    values[j] = swap;
  }
}
