// moe-scaling: one MoE layer training step (forward, backward, Adam) as the expert count
// grows at fixed top-k. Sparse dispatch should cost about the same at 32 experts as at 4;
// the dense-masking rows (every expert on every token, then masked) show what it avoids.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { createExpertParams, expertFfn, expertVariables, type ExpertParams } from '../electron/engine/model/expert.ts';
import { moeLayer, type MoeOptions } from '../electron/engine/model/moe/moe-layer.ts';
import { FusedAdam } from '../electron/engine/compute/fused-adam.ts';
import { median, registerBench, type BenchRow } from './registry.ts';

const DIM = 64;
const HIDDEN = 256;
const TOP_K = 2;
const TOKENS = 4096;
const EXPERT_COUNTS = [4, 8, 16, 32];
/** Dense masking costs N/k times more; measured on fewer expert counts to keep the bench short. */
const DENSE_EXPERT_COUNTS = [4, 8];
const WARMUP_STEPS = 3;
const TIMED_STEPS = 9;
const CAPACITY_FACTOR = 1.25;

interface Setup {
  x: tf.Tensor2D;
  target: tf.Tensor2D;
  routerW: tf.Variable;
  experts: ExpertParams[];
  optimizer: FusedAdam;
  dispose(): void;
}

let setups = 0;
function setup(experts: number): Setup {
  const label = `s${setups++}n${experts}`;
  const x = tf.randomNormal([TOKENS, DIM], 0, 1, 'float32', 1) as tf.Tensor2D;
  const target = tf.randomNormal([TOKENS, DIM], 0, 1, 'float32', 2) as tf.Tensor2D;
  const routerW = tf.variable(tf.randomNormal([DIM, experts], 0, 0.1, 'float32', 3), true, `bench/${label}/router`);
  const params = Array.from({ length: experts }, (_, e) => createExpertParams(DIM, HIDDEN, 100 + 2 * e, `bench/${label}/e${e}`));
  const optimizer = new FusedAdam(1e-3);
  return {
    x, target, routerW, experts: params, optimizer,
    dispose() {
      tf.dispose([x, target, routerW, ...params.flatMap(expertVariables)]);
      optimizer.dispose();
    },
  };
}

/**
 * What optimizer.minimize does (gradients, Adam update, dispose), split so that the update's
 * share is visible: it touches every variable, 6 per expert, so it grows with N by nature.
 * Returns the ms spent in the update.
 */
function trainStep(s: Setup, lossOf: () => tf.Scalar): number {
  const { value, grads } = tf.variableGrads(lossOf, [s.routerW, ...s.experts.flatMap(expertVariables)]);
  value.dataSync();
  const t0 = performance.now();
  s.optimizer.applyGradients(grads);
  s.routerW.dataSync();
  const updateMs = performance.now() - t0;
  tf.dispose([value, ...Object.values(grads)]);
  return updateMs;
}

function sparseStep(s: Setup, step: number): number {
  const opts: MoeOptions = { topK: TOP_K, capacityFactor: CAPACITY_FACTOR, noiseStd: 0.1, training: true, noiseSeed: step };
  return trainStep(s, () => {
    const out = moeLayer(s.x, s.routerW as tf.Variable<tf.Rank.R2>, s.experts, opts);
    return tf.addN([tf.losses.meanSquaredError(s.target, out.output), tf.mul(out.loadBalanceLoss, 0.01), tf.mul(out.zLoss, 0.001)]) as tf.Scalar;
  });
}

/** Same routing computed densely: every expert on every token, weighted by a [T, N] mask. */
function denseStep(s: Setup, step: number): number {
  const n = s.experts.length;
  // Selection is not differentiated: build the chosen-expert mask outside the gradient tape.
  const chosen = tf.tidy(() => {
    const noisy = tf.add(tf.matMul(s.x, s.routerW), tf.randomNormal([TOKENS, n], 0, 0.1, 'float32', step));
    return tf.sum(tf.oneHot(tf.topk(noisy, TOP_K).indices, n), 1);
  });
  const updateMs = trainStep(s, () => {
    const masked = tf.mul(tf.softmax(tf.matMul(s.x, s.routerW)), chosen);
    const weights = tf.div(masked, tf.sum(masked, 1, true));
    let y: tf.Tensor = s.x;
    for (let e = 0; e < n; e++) {
      y = tf.add(y, tf.mul(expertFfn(s.experts[e], s.x), tf.slice(weights, [0, e], [TOKENS, 1])));
    }
    return tf.losses.meanSquaredError(s.target, y) as tf.Scalar;
  });
  chosen.dispose();
  return updateMs;
}

interface StepTimes {
  /** Median wall-clock ms per step. */
  wall: number;
  /** Median CPU ms of this process per step: less sensitive to other load on a shared machine. */
  cpu: number;
  /** Median wall-clock ms of the Adam update inside the step. */
  update: number;
}

/**
 * Median step times per setup. Steps are interleaved round-robin over the setups, so that load
 * from other processes falls on every expert count alike.
 */
function timeInterleaved(setups: Setup[], step: (s: Setup, i: number) => number): StepTimes[] {
  for (let i = 0; i < WARMUP_STEPS; i++) for (const s of setups) step(s, i);
  const wall = setups.map(() => [] as number[]);
  const cpu = setups.map(() => [] as number[]);
  const update = setups.map(() => [] as number[]);
  for (let i = 0; i < TIMED_STEPS; i++) {
    setups.forEach((s, j) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      update[j].push(step(s, WARMUP_STEPS + i));
      wall[j].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[j].push((c.user + c.system) / 1000);
    });
  }
  return setups.map((_, j) => ({ wall: median(wall[j]), cpu: median(cpu[j]), update: median(update[j]) }));
}

function rows(series: string, backend: string, counts: number[], times: StepTimes[], extra: Record<string, number>): BenchRow[] {
  return counts.map((n, i) => ({
    bench: series,
    backend,
    experts: n,
    top_k: TOP_K,
    tokens: TOKENS,
    ...extra,
    step_ms: round(times[i].wall),
    ratio_vs_4: round(times[i].wall / times[0].wall, 3),
    cpu_ms: round(times[i].cpu),
    cpu_ratio_vs_4: round(times[i].cpu / times[0].cpu, 3),
    update_ms: round(times[i].update),
  }));
}

registerBench({
  name: 'moe-scaling',
  description: `MoE layer training step, D=${DIM} H=${HIDDEN} top-${TOP_K}, ${TOKENS} tokens, ${EXPERT_COUNTS.join('/')} experts`,
  async run(emit: (row: BenchRow) => void) {
    const { backend } = await initBackend();
    const sparse = EXPERT_COUNTS.map(setup);
    const sparseTimes = timeInterleaved(sparse, sparseStep);
    sparse.forEach((s) => s.dispose());
    rows('moe-scaling', backend, EXPERT_COUNTS, sparseTimes, { capacity_factor: CAPACITY_FACTOR }).forEach(emit);
    const dense = DENSE_EXPERT_COUNTS.map(setup);
    const denseTimes = timeInterleaved(dense, denseStep);
    dense.forEach((s) => s.dispose());
    rows('moe-scaling-dense', backend, DENSE_EXPERT_COUNTS, denseTimes, {}).forEach(emit);
  },
});

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
