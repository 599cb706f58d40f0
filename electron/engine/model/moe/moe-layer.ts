// The sparse Mixture-of-Experts layer: route, dispatch only the chosen (token, expert) pairs,
// combine. Routing decisions are read back once to the host, where the gather indices are built;
// everything differentiable (router probabilities, combine weights, expert rows) stays on the tape.
import * as tf from '@tensorflow/tfjs';
import { hasGroupedKernels } from '../../compute/grouped-matmul.ts';
import { createRng, normalArray } from '../../rng.ts';
import { expertFfn, expertFfnNormalized, groupedExpertFfnNormalized, normalizeRows, type ExpertParams } from '../expert.ts';
import { loadBalanceLoss, routerZLoss, top1Fractions } from './aux-losses.ts';
import { planDispatch, type DispatchPlan } from './dispatch-plan.ts';
import { selectTopK } from './top-k.ts';

export interface MoeOptions {
  /** Experts per token: 1 (Switch) or 2 (GShard, Mixtral); at most the number of experts. */
  topK: number;
  /** Expert capacity = ceil(capacityFactor * T * k / N) rows; null = dropless (no limit). */
  capacityFactor: number | null;
  /** Std of the Gaussian noise added to the selection logits while training (0 = off). */
  noiseStd: number;
  /** Training mode: enables the selection noise. */
  training: boolean;
  /** Seed of the selection noise; vary it per step, keep it for replays. */
  noiseSeed: number;
  /**
   * How the experts run: 'grouped' (all experts in one grouped matmul per product, see
   * chooseDispatchPath), 'per-expert' (one chain of kernels per expert), or 'auto' (default):
   * chosen per call from the loads and the backend.
   */
  dispatch?: 'auto' | ExpertRunPath;
  /**
   * Oracle routing: [T] the expert of each token, chosen instead of the router (one expert per
   * token, combine weight 1; topK is ignored). The reported probabilities are one-hot. The
   * router logits still feed the auxiliary losses, which then carry no meaning.
   */
  forced?: Int32Array;
  /**
   * [T * N, D] every expert's output on every token (row t * N + e, as allExpertOutputs gives),
   * when the caller already holds them: frozen experts on fixed tokens (the assembly's joint
   * fine-tuning, assembly/expert-output-cache.ts). The chosen rows are picked from it and the
   * experts do not run; nothing reaches the experts or x through these rows.
   */
  expertOutputs?: tf.Tensor2D;
}

/** How the experts run: all in grouped kernels, or one chain of kernels per expert. */
export type ExpertRunPath = 'grouped' | 'per-expert';
/** The expert computation a call ran, or none ('precomputed': the outputs were given). */
export type MoeDispatchPath = ExpertRunPath | 'precomputed';

/** Plain arrays read back once per call (for stats and the UI). */
export interface MoeRouting {
  tokens: number;
  experts: number;
  topK: number;
  /** [T*k] chosen experts per token, best first (by the noisy logits when noise is on). */
  topIndices: Int32Array;
  /** [T*k] combine weight of each chosen pair (see combine weights in moeLayer). */
  topWeights: Float32Array;
  /** [T*k] 1 where the pair was computed, 0 where dropped by capacity. */
  kept: Uint8Array;
  /** [T*N] full router softmax (no noise). */
  probs: Float32Array;
  /** [N] rows each expert actually computed. */
  rowsPerExpert: Int32Array;
  /** Which expert computation ran (the same values either way, to float rounding). */
  path: MoeDispatchPath;
}

export interface MoeOutput {
  /** [T, D] x + the weighted outputs of the kept chosen experts. */
  output: tf.Tensor2D;
  /** Switch load-balancing loss, unweighted. */
  loadBalanceLoss: tf.Scalar;
  /** ST-MoE router z-loss, unweighted. */
  zLoss: tf.Scalar;
  /** [T, N] router logits x·W (no noise). */
  logits: tf.Tensor2D;
  routing: MoeRouting;
}

/**
 * y = x + sum over kept chosen experts e of w_e * expertFfn(p_e, x); dropped pairs contribute
 * nothing (the token passes through the residual).
 *
 * Combine weights: for k >= 2 the router softmax renormalized over the k chosen experts
 * (GShard, Mixtral); for k = 1 the router probability itself (Switch), because a renormalized
 * single weight is the constant 1 and the router would get no gradient from the task loss.
 * Weights always come from the noise-free probabilities; the noise only changes which experts
 * are chosen.
 *
 * Sparse: token rows are gathered per expert, each expert runs once on its own rows (experts
 * with none are skipped), and each pair's weighted row is gathered back to its token. Cost
 * grows with T * k, not with N. Works inside tf.variableGrads / optimizer.minimize. The caller
 * disposes the returned tensors; nothing else stays allocated.
 */
export function moeLayer(x: tf.Tensor2D, routerW: tf.Tensor2D, experts: ExpertParams[], opts: MoeOptions): MoeOutput {
  if (x.rank !== 2 || routerW.rank !== 2) throw new Error(`moeLayer wants x [T, D] and routerW [D, N], got ranks ${x.rank} and ${routerW.rank}`);
  const [tokens, dim] = x.shape;
  const n = experts.length;
  const forced = opts.forced;
  if (forced !== undefined) {
    if (forced.length !== tokens) throw new Error(`forced routing has ${forced.length} entries for ${tokens} tokens`);
    for (const e of forced) if (!(e >= 0 && e < n)) throw new Error(`forced routing names expert ${e}, outside [0, ${n})`);
  }
  const k = forced !== undefined ? 1 : opts.topK;
  if (routerW.shape[0] !== dim || routerW.shape[1] !== n) {
    throw new Error(`routerW must be [${dim}, ${n}] for x width ${dim} and ${n} experts, got [${routerW.shape.join(', ')}]`);
  }
  if (tokens < 1) throw new Error('moeLayer needs at least one token');
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`topK must be an integer in [1, ${n}], got ${k}`);
  if (!(opts.noiseStd >= 0)) throw new Error(`noiseStd must be >= 0, got ${opts.noiseStd}`);
  if (opts.capacityFactor !== null && !(opts.capacityFactor > 0 && Number.isFinite(opts.capacityFactor))) {
    throw new Error(`capacityFactor must be a positive number or null (dropless), got ${opts.capacityFactor}`);
  }
  const given = opts.expertOutputs;
  if (given !== undefined && (given.shape[0] !== tokens * n || given.shape[1] !== dim)) {
    throw new Error(`expertOutputs must be [${tokens * n}, ${dim}] for ${tokens} tokens and ${n} experts, got [${given.shape.join(', ')}]`);
  }

  const host: { routing?: MoeRouting } = {};
  const tensors = tf.tidy(() => {
    const logits: tf.Tensor2D = tf.matMul(x, routerW);
    const probs: tf.Tensor2D = tf.softmax(logits);
    // The one read-back of the call: probabilities, and the logits when training with noise. The
    // noise is drawn on the host (seeded xoroshiro128+, Box-Muller), where the choice is made:
    // tf.randomNormal draws in JS too, about 4x slower, and [T, N] draws grow with N.
    // slice(): on the cpu backend dataSync hands out the tensor's own storage.
    const noisy = opts.training && opts.noiseStd > 0;
    let probsHost: Float32Array;
    let topIndices: Int32Array;
    if (forced !== undefined) {
      probsHost = new Float32Array(tokens * n);
      for (let t = 0; t < tokens; t++) probsHost[t * n + forced[t]] = 1;
      topIndices = forced.slice();
    } else {
      const readBack = noisy ? (tf.concat([probs, logits]).dataSync() as Float32Array) : (probs.dataSync() as Float32Array);
      probsHost = readBack.slice(0, tokens * n);
      let scores: Float32Array = probsHost;
      if (noisy) {
        scores = normalArray(createRng(opts.noiseSeed), tokens * n, opts.noiseStd);
        for (let i = 0; i < scores.length; i++) scores[i] += readBack[tokens * n + i];
      }
      topIndices = selectTopK(scores, tokens, n, k);
    }
    const plan = planDispatch(topIndices, tokens, n, k, opts.capacityFactor);

    // Combine weights [T*k], differentiable w.r.t. the router through the gathered probabilities.
    const pairProbIndex = new Int32Array(tokens * k);
    const topWeights = new Float32Array(tokens * k);
    for (let t = 0; t < tokens; t++) {
      let total = 0;
      for (let j = 0; j < k; j++) total += probsHost[t * n + topIndices[t * k + j]];
      for (let j = 0; j < k; j++) {
        const pair = t * k + j;
        pairProbIndex[pair] = t * n + topIndices[pair];
        topWeights[pair] = k === 1 ? probsHost[pairProbIndex[pair]] : probsHost[pairProbIndex[pair]] / total;
      }
    }
    let weights: tf.Tensor1D;
    if (forced !== undefined) weights = tf.ones([tokens]);
    else {
      const chosenProbs = tf.reshape(tf.gather(tf.reshape(probs, [tokens * n]), tf.tensor1d(pairProbIndex, 'int32')), [tokens, k]);
      weights = k === 1 ? tf.reshape(chosenProbs, [tokens]) : tf.reshape(tf.div(chosenProbs, tf.sum(chosenProbs, 1, true)), [tokens * k]);
    }

    const path: MoeDispatchPath = given !== undefined ? 'precomputed' : opts.dispatch === undefined || opts.dispatch === 'auto' ? chooseDispatchPath(plan.rowsPerExpert, hasGroupedKernels()) : opts.dispatch;
    host.routing = { tokens, experts: n, topK: k, topIndices, topWeights, kept: plan.kept, probs: probsHost, rowsPerExpert: plan.rowsPerExpert, path };

    let output: tf.Tensor2D;
    if (plan.rowToken.length === 0) output = tf.clone(x);
    else if (given !== undefined) output = tf.add(x, pickCombine(given, topIndices, plan.kept, weights, n, k));
    else output = tf.add(x, dispatchCombine(x, experts, plan, weights, k, path));
    const fractions = top1Fractions(topIndices, tokens, n, k);
    return { output, loadBalanceLoss: loadBalanceLoss(probs, fractions), zLoss: routerZLoss(logits), logits };
  });
  if (host.routing === undefined) throw new Error('unreachable: routing is set inside the tidy');
  return { ...tensors, routing: host.routing };
}

/**
 * The per-call choice between the two expert computations. With grouped kernels on the backend
 * (wasm), the grouped path costs a fixed handful of kernels whatever the loads, while the
 * per-expert path costs about 25 per active expert: grouped wins from two active experts on.
 * Without them, the grouped path packs rows into a [G, C, D] buffer padded to the largest group
 * (GShard-style): it is taken only while the padding stays under half the rows, so a very uneven
 * load (one expert with most of the tokens) runs per expert instead.
 */
export function chooseDispatchPath(rowsPerExpert: ArrayLike<number>, groupedKernels: boolean): ExpertRunPath {
  let active = 0;
  let rows = 0;
  let largest = 0;
  for (let e = 0; e < rowsPerExpert.length; e++) {
    const r = rowsPerExpert[e];
    if (r > 0) active++;
    rows += r;
    largest = Math.max(largest, r);
  }
  if (active < 2) return 'per-expert';
  return groupedKernels || active * largest <= 1.5 * rows ? 'grouped' : 'per-expert';
}

/** [T * N, D] expertFfn of every expert on every row of x, row t * N + e (moeLayer's expertOutputs). */
export function allExpertOutputs(experts: readonly ExpertParams[], x: tf.Tensor2D): tf.Tensor2D {
  const [tokens, dim] = x.shape;
  return tf.tidy(() => tf.reshape(tf.stack(experts.map((e) => expertFfn(e, x)), 1), [tokens * experts.length, dim]));
}

/**
 * dispatchCombine from given expert outputs: each pair's row picked by one gather, weighted
 * (a dropped pair's weight times 0), summed over the token's k pairs.
 */
function pickCombine(outputs: tf.Tensor2D, topIndices: Int32Array, kept: Uint8Array, weights: tf.Tensor1D, n: number, k: number): tf.Tensor2D {
  const pairs = topIndices.length;
  const tokens = pairs / k;
  const rowOfPair = new Int32Array(pairs);
  const keptMask = new Float32Array(pairs);
  for (let pair = 0; pair < pairs; pair++) {
    rowOfPair[pair] = Math.floor(pair / k) * n + topIndices[pair];
    keptMask[pair] = kept[pair];
  }
  const w = tf.reshape(tf.mul(weights, tf.tensor1d(keptMask)), [pairs, 1]);
  const picked = tf.mul(tf.gather(outputs, tf.tensor1d(rowOfPair, 'int32')), w);
  return k === 1 ? (picked as tf.Tensor2D) : tf.sum(tf.reshape(picked, [tokens, k, outputs.shape[1]]), 1);
}

/**
 * For each token, sum over its kept pairs of weight * expertFfn(expert, x[token]).
 * One gather groups all dispatched rows by expert; the experts run on their rows (all in one
 * grouped computation, or one expert after another on its split of the rows); one gather
 * picks each pair's row back (dropped pairs pick an appended zero row). Both gathers'
 * gradients are UnsortedSegmentSum.
 */
function dispatchCombine(x: tf.Tensor2D, experts: ExpertParams[], plan: DispatchPlan, weights: tf.Tensor1D, k: number, path: MoeDispatchPath): tf.Tensor2D {
  const [tokens, dim] = x.shape;
  // LayerNorm's normalization is row-wise: once for all tokens instead of once per expert.
  const grouped: tf.Tensor2D = tf.gather(normalizeRows(x), tf.tensor1d(plan.rowToken, 'int32'));
  let expertRows: tf.Tensor2D[];
  if (path === 'grouped') {
    expertRows = [groupedExpertFfnNormalized(experts, grouped, plan.rowsPerExpert)];
  } else {
    const active: number[] = [];
    const sizes: number[] = [];
    plan.rowsPerExpert.forEach((rows, e) => {
      if (rows > 0) {
        active.push(e);
        sizes.push(rows);
      }
    });
    const groups: tf.Tensor2D[] = active.length === 1 ? [grouped] : tf.split(grouped, sizes, 0);
    expertRows = groups.map((rows, i) => expertFfnNormalized(experts[active[i]], rows));
  }
  const rows = plan.rowToken.length;
  const padded = tf.concat([...expertRows, tf.zeros([1, dim])], 0);
  const rowOfPair = new Int32Array(tokens * k).fill(rows);
  plan.rowPair.forEach((pair, r) => {
    rowOfPair[pair] = r;
  });
  const picked = tf.mul(tf.gather(padded, tf.tensor1d(rowOfPair, 'int32')), tf.reshape(weights, [tokens * k, 1]));
  return k === 1 ? (picked as tf.Tensor2D) : tf.sum(tf.reshape(picked, [tokens, k, dim]), 1);
}
