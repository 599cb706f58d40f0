// Seeded randomness for every JS-side choice (dataset splits, shuffles, sampling, negative
// items, init): xoroshiro128+ from pure-rand, so a seed fixes every draw on every backend.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { fnv1a32 } from './model/hash.ts';

export type Rng = RandomGenerator;

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new Error(`rng seed must be an integer, got ${seed}`);
  // xoroshiro128plus takes a 32-bit seed; larger ones fold their high bits in so they stay distinct.
  if (seed === (seed | 0)) return xoroshiro128plus(seed);
  return xoroshiro128plus((seed | 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b1));
}

/**
 * A child seed for one purpose of a run (e.g. deriveSeed(42, 'encoder', 'text')): stable, independent
 * of call order, in [0, 2^31). Different purposes get unrelated streams from one run seed.
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  return fnv1a32(`${seed}|${parts.join('|')}`) & 0x7fffffff;
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  if (!(n >= 1)) throw new Error(`randInt needs n >= 1, got ${n}`);
  return uniformInt(rng, 0, n - 1);
}

/** Float in [0, 1). */
export function random01(rng: Rng): number {
  return uniformFloat64(rng);
}

/** Fisher-Yates, in place; returns the array. */
export function shuffleInPlace<A extends unknown[] | Int32Array | Uint32Array>(rng: Rng, items: A): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** 0..n-1 in a seeded random order. */
export function permutation(rng: Rng, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(rng, out);
}

/** Index drawn with probability proportional to weights (non-negative, not all zero). */
export function sampleIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random01(rng) * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** n standard-normal draws times std (Box-Muller), as float32. */
export function normalArray(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - random01(rng);
    const u2 = random01(rng);
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2) * std;
  }
  return out;
}

/** n uniform draws in [-limit, limit), as float32. */
export function uniformArray(rng: Rng, n: number, limit: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (random01(rng) * 2 - 1) * limit;
  return out;
}
