// Router weights [D, N] (row-major, logits = token · W) built without joint training, from each
// domain's tokens under the assembled encoders (issue 10's router methods):
//   embedding    column i = domain i's mean token (FlexOlmo's per-domain router embeddings)
//   closed_form  ridge regression from tokens X [T, D] to one-hot domains Y [T, N] (DUME):
//                W = (X^T X + lambda I)^-1 X^T Y, solved by Cholesky in float64
//   gates        one gate per expert from its own domain's tokens only (PHATGOOSE-style): the
//                direction of the domain's mean token, scaled so that the domain's own tokens
//                get a mean sigmoid gate of GATE_TARGET_PROB
// Plain arithmetic on typed arrays, no tensors.

export const GATE_TARGET_PROB = 0.9;

/** Column i = means[i]: W [D, N]. */
export function embeddingRouter(means: readonly Float32Array[]): Float32Array {
  const n = means.length;
  if (n === 0) throw new Error('embedding router needs at least one domain mean');
  const dim = means[0].length;
  const w = new Float32Array(dim * n);
  means.forEach((m, j) => {
    if (m.length !== dim) throw new Error(`domain ${j} has a mean of width ${m.length}, expected ${dim}`);
    for (let i = 0; i < dim; i++) w[i * n + j] = m[i];
  });
  return w;
}

/**
 * Ridge regression from tokens to domains. `samples[j]` are domain j's tokens [rows, D] row-major
 * (target: one-hot j). lambda > 0 keeps the system positive definite; with lambda = 0 the tokens
 * must span the D dimensions.
 */
export function ridgeRouter(samples: readonly Float32Array[], dim: number, lambda: number): Float32Array {
  const n = samples.length;
  if (n === 0) throw new Error('closed-form router needs at least one domain');
  if (!(lambda >= 0)) throw new Error(`ridge lambda must be >= 0, got ${lambda}`);
  // A = X^T X + lambda I [D, D], B = X^T Y [D, N], in float64.
  const a = new Float64Array(dim * dim);
  const b = new Float64Array(dim * n);
  samples.forEach((x, j) => {
    if (x.length % dim !== 0) throw new Error(`domain ${j}'s tokens have ${x.length} values, not a multiple of ${dim}`);
    const rows = x.length / dim;
    for (let r = 0; r < rows; r++) {
      const o = r * dim;
      for (let p = 0; p < dim; p++) {
        const xp = x[o + p];
        if (xp === 0) continue;
        b[p * n + j] += xp;
        const row = p * dim;
        for (let q = p; q < dim; q++) a[row + q] += xp * x[o + q];
      }
    }
  });
  for (let p = 0; p < dim; p++) {
    a[p * dim + p] += lambda;
    for (let q = 0; q < p; q++) a[p * dim + q] = a[q * dim + p];
  }
  return Float32Array.from(solveSpd(a, b, dim, n));
}

/** Solves A X = B for symmetric positive definite A [d, d] and B [d, m] (Cholesky A = L L^T). */
export function solveSpd(a: Float64Array, b: Float64Array, d: number, m: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('the ridge system is not positive definite: raise router.ridge_lambda above 0');
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    // Forward: L y = b; backward: L^T x = y.
    for (let i = 0; i < d; i++) {
      let s = x[i * m + c];
      for (let k = 0; k < i; k++) s -= l[i * d + k] * x[k * m + c];
      x[i * m + c] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = x[i * m + c];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k * m + c];
      x[i * m + c] = s / l[i * d + i];
    }
  }
  return x;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * One gate vector per expert, each from its own domain's tokens only (no other domain's data):
 * g_j = s_j * unit(mean_j), with s_j >= 0 found by bisection so that the mean of
 * sigmoid(x · g_j) over domain j's tokens is GATE_TARGET_PROB (or the largest reachable when the
 * domain's tokens do not all lie on the mean's side). Adding a domain never changes the others.
 */
export function gateRouter(samples: readonly Float32Array[], dim: number): Float32Array {
  const n = samples.length;
  if (n === 0) throw new Error('gate router needs at least one domain');
  const w = new Float32Array(dim * n);
  samples.forEach((x, j) => {
    const rows = x.length / dim;
    if (rows === 0) return;
    const mean = new Float64Array(dim);
    for (let r = 0; r < rows; r++) for (let i = 0; i < dim; i++) mean[i] += x[r * dim + i] / rows;
    const norm = Math.sqrt(mean.reduce((a, v) => a + v * v, 0));
    if (norm < 1e-12) return;
    const proj = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += x[r * dim + i] * mean[i];
      proj[r] = s / norm;
    }
    const meanGate = (s: number): number => proj.reduce((a, p) => a + sigmoid(s * p), 0) / rows;
    let lo = 0;
    let hi = 1;
    // Grow the scale while the mean gate still rises (it falls again for large scales when some
    // tokens lie on the far side of the mean's direction).
    while (meanGate(hi) < GATE_TARGET_PROB && meanGate(2 * hi) > meanGate(hi) && hi < 1e6) hi *= 2;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (meanGate(mid) < GATE_TARGET_PROB) lo = mid;
      else hi = mid;
    }
    for (let i = 0; i < dim; i++) w[i * n + j] = (hi * mean[i]) / norm;
  });
  return w;
}
