// Mixed batches for joint fine-tuning. Each sample of a batch independently draws its domain
// with temperature sampling, p_d ~ n_d^(1/T) (T = 1: proportional to size; large T: uniform),
// then takes the next record of that domain's seeded shuffle (reshuffled when used up). So one
// batch usually holds several domains, grouped by domain in domain order.
import { createRng, deriveSeed, permutation, sampleIndex, type Rng } from '../rng.ts';

export interface MixedPart {
  domain: number;
  /** Indices into the domain's training split. */
  rows: Int32Array;
}

export interface MixedSampler {
  /** Domain sampling probabilities. */
  probabilities: number[];
  next(): MixedPart[];
}

export function temperatureProbabilities(sizes: readonly number[], temperature: number): number[] {
  if (!(temperature > 0)) throw new Error(`temperature must be positive, got ${temperature}`);
  if (sizes.length === 0 || sizes.some((n) => !(n > 0))) throw new Error(`every domain needs training samples, sizes are [${sizes.join(', ')}]`);
  const w = sizes.map((n) => n ** (1 / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** Same (sizes, batchSize, temperature, seed) -> the same batch sequence (the dense baseline relies on it). */
export function createMixedSampler(sizes: readonly number[], batchSize: number, temperature: number, seed: number): MixedSampler {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const probabilities = temperatureProbabilities(sizes, temperature);
  const rng: Rng = createRng(deriveSeed(seed, 'mix-domains'));
  const passes = sizes.map(() => 0);
  const orders = sizes.map((n, d) => permutation(createRng(deriveSeed(seed, 'mix-shuffle', d, 0)), n));
  const cursors = sizes.map(() => 0);
  const take = (d: number): number => {
    if (cursors[d] >= sizes[d]) {
      passes[d]++;
      orders[d] = permutation(createRng(deriveSeed(seed, 'mix-shuffle', d, passes[d])), sizes[d]);
      cursors[d] = 0;
    }
    return orders[d][cursors[d]++];
  };
  return {
    probabilities,
    next() {
      const rows: number[][] = sizes.map(() => []);
      for (let i = 0; i < batchSize; i++) {
        const d = sampleIndex(rng, probabilities);
        rows[d].push(take(d));
      }
      return rows.flatMap((r, domain) => (r.length === 0 ? [] : [{ domain, rows: Int32Array.from(r) }]));
    },
  };
}
