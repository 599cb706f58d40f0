// Router weight initializations, as [D, N] row-major arrays (logits = token · W):
//   random   normal(0, RANDOM_STD) from the seed
//   uniform  zeros: every expert equally likely, top-k ties go to the lowest index
//   centroid column i points from the mean of all domain centroids to domain i's mean token
//            (mergekit-moe's hidden-state gate init, centered), scaled so that a token at its
//            domain's centroid gives its own expert probability >= CENTROID_TARGET_PROB.
import { createRng, normalArray } from '../rng.ts';

export const RANDOM_STD = 0.02;
export const CENTROID_TARGET_PROB = 0.9;

export function randomRouter(dim: number, experts: number, seed: number): Float32Array {
  return normalArray(createRng(seed), dim * experts, RANDOM_STD);
}

export function uniformRouter(dim: number, experts: number): Float32Array {
  return new Float32Array(dim * experts);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Logit margin that gives probability p to one expert against n - 1 equal others. */
function marginFor(experts: number): number {
  return experts < 2 ? 0 : Math.log((CENTROID_TARGET_PROB * (experts - 1)) / (1 - CENTROID_TARGET_PROB));
}

/** Unit vector from `from` to `to` (falls back to `to` itself when they coincide). */
function direction(to: ArrayLike<number>, from: ArrayLike<number>): Float64Array {
  const d = Float64Array.from(to, (v, i) => v - from[i]);
  let norm = Math.sqrt(dot(d, d));
  if (norm < 1e-9) {
    d.set(Array.from(to));
    norm = Math.sqrt(dot(d, d));
  }
  return norm < 1e-9 ? d : d.map((v) => v / norm);
}

function meanOf(vectors: readonly ArrayLike<number>[], dim: number): Float64Array {
  const m = new Float64Array(dim);
  for (const c of vectors) for (let i = 0; i < dim; i++) m[i] += c[i] / vectors.length;
  return m;
}

/** Centroid init of all N columns from the domains' mean tokens (one per expert, in expert order). */
export function centroidRouter(centroids: readonly Float32Array[]): Float32Array {
  const n = centroids.length;
  if (n === 0) throw new Error('centroid router init needs at least one domain centroid');
  const dim = centroids[0].length;
  const m = meanOf(centroids, dim);
  const dirs = centroids.map((c) => direction(c, m));
  // Smallest logit gap (own minus best other) over domains, at unit scale.
  let gap = Infinity;
  centroids.forEach((c, i) => {
    const own = dot(c, dirs[i]);
    let other = -Infinity;
    dirs.forEach((d, j) => {
      if (j !== i) other = Math.max(other, dot(c, d));
    });
    if (n > 1 && own - other > 1e-6) gap = Math.min(gap, own - other);
  });
  const scale = n < 2 || !Number.isFinite(gap) ? 1 : marginFor(n) / gap;
  const w = new Float32Array(dim * n);
  dirs.forEach((d, j) => d.forEach((v, i) => (w[i * n + j] = v * scale)));
  return w;
}

/**
 * Grows a router [D, M] by one centroid column for a new domain: the direction from the old
 * domains' mean centroid to the new centroid, scaled so that the new centroid's logit for the
 * new expert beats its best old logit by the centroid margin.
 */
export function addCentroidColumn(router: Float32Array, experts: number, oldCentroids: readonly Float32Array[], newCentroid: Float32Array): Float32Array {
  const dim = newCentroid.length;
  if (router.length !== dim * experts) throw new Error(`router has ${router.length} values, expected ${dim} x ${experts}`);
  const d = direction(newCentroid, oldCentroids.length > 0 ? meanOf(oldCentroids, dim) : new Float64Array(dim));
  let bestOld = -Infinity;
  for (let j = 0; j < experts; j++) {
    let logit = 0;
    for (let i = 0; i < dim; i++) logit += newCentroid[i] * router[i * experts + j];
    bestOld = Math.max(bestOld, logit);
  }
  const along = dot(newCentroid, d);
  const target = (experts === 0 ? 0 : bestOld) + marginFor(experts + 1);
  const scale = along > 1e-9 ? Math.max(1, target / along) : 1;
  const n = experts + 1;
  const w = new Float32Array(dim * n);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < experts; j++) w[i * n + j] = router[i * experts + j];
    w[i * n + experts] = d[i] * scale;
  }
  return w;
}
