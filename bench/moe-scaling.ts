// moe-scaling: one MoE layer training step (forward, backward, Adam) as the expert count
// grows at fixed top-k. Sparse dispatch should cost about the same at 32 experts as at 4;
// the dense-masking rows (every expert on every token, then masked) show what it avoids.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { createExpertParams, expertFfn, expertVariables, type ExpertParams } from '../electron/engine/model/expert.ts';
import { moeLayer, type MoeDispatchPath, type MoeOptions } from '../electron/engine/model/moe/moe-layer.ts';
import { FusedAdam } from '../electron/engine/compute/fused-adam.ts';
import { median, registerBench, type BenchRow } from './registry.ts';

const here = dirname(fileURLToPath(import.meta.url));

const DIM = 64;
const HIDDEN = 256;
const TOP_K = 2;
const TOKENS = 4096;
const EXPERT_COUNTS = [4, 8, 16, 32];
/** Dense masking costs N/k times more; measured on fewer expert counts to keep the bench short. */
const DENSE_EXPERT_COUNTS = [4, 8];
const WARMUP_STEPS = 2;
/**
 * Rounds measured after warm-up; every figure is the median over these. A multiple of the
 * number of sizes: each round starts at the next size, so every size is measured equally often
 * in every position (the first step after the numpy child ran was measured up to 2x slower).
 */
const TIMED_STEPS = 8;
const DENSE_STEPS = 5;
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

/** The dispatch path the layer last reported per expert count (routing.path). */
const lastPath = new Map<number, MoeDispatchPath>();

function sparseStep(s: Setup, step: number): number {
  const opts: MoeOptions = { topK: TOP_K, capacityFactor: CAPACITY_FACTOR, noiseStd: 0.1, training: true, noiseSeed: step };
  return trainStep(s, () => {
    const out = moeLayer(s.x, s.routerW as tf.Variable<tf.Rank.R2>, s.experts, opts);
    lastPath.set(s.experts.length, out.routing.path);
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

/** One measured step: wall-clock and this process's CPU milliseconds. */
interface Sample {
  wall: number;
  cpu: number;
  update: number;
}

function timed(step: () => number): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const update = step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, update };
}

/**
 * The numpy reference (bench/moe_step_numpy.py) as a child process that runs one step per
 * request, so that its steps interleave with ours. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
 * removed from the child's environment only: set on this machine, they slow OpenBLAS down.
 */
class NumpyReference {
  readonly info: Record<string, unknown>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  private constructor(child: ChildProcessWithoutNullStreams, lines: AsyncIterator<string>, info: Record<string, unknown>) {
    this.child = child;
    this.lines = lines;
    this.info = info;
  }

  /** null (with the reason on stderr) when python3 or numpy is missing. */
  static async start(threads: number | null): Promise<NumpyReference | null> {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    if (threads !== null) env.OPENBLAS_NUM_THREADS = String(threads);
    const child = spawn('python3', [join(here, 'moe_step_numpy.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const failed = new Promise<null>((resolve) => {
      child.on('error', (e) => {
        console.error(`[moe-scaling] numpy reference unavailable: ${e.message}`);
        resolve(null);
      });
      child.on('exit', (code) => {
        if (started) return;
        console.error(`[moe-scaling] numpy reference exited (${code}): ${stderr.trim().split('\n').pop()}`);
        resolve(null);
      });
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    let started = false;
    const first = await Promise.race([lines.next(), failed]);
    if (first === null || first.done) return null;
    started = true;
    return new NumpyReference(child, lines, JSON.parse(first.value) as Record<string, unknown>);
  }

  /** One training step with `experts` experts; its milliseconds as numpy measured them. */
  async step(experts: number): Promise<number> {
    this.child.stdin.write(`${experts}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('numpy reference stopped');
    return Number(r.value);
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Per-round figures -> medians; a ratio is the median of per-round ratios (load drifts between rounds, less within one). */
function medianOf<T>(rounds: T[], f: (r: T) => number): number {
  return median(rounds.map(f));
}

interface Round {
  ours: Sample[];
  numpy: (number | null)[][];
}

registerBench({
  name: 'moe-scaling',
  description: `MoE layer training step, D=${DIM} H=${HIDDEN} top-${TOP_K}, ${TOKENS} tokens, ${EXPERT_COUNTS.join('/')} experts, vs numpy`,
  async run(emit: (row: BenchRow) => void) {
    const { backend } = await initBackend();
    // Default threads (OpenBLAS takes every core) and one thread: vs_numpy is against the faster.
    const configs = [null, 1] as const;
    const refs = await Promise.all(configs.map((t) => NumpyReference.start(t)));
    refs.forEach((r, i) => {
      if (r !== null) emit({ bench: 'moe-scaling-numpy', numpy_threads: configs[i] === null ? 'default' : configs[i], env_removed: 'OPENBLAS_CORETYPE OPENBLAS_L2_SIZE', info: JSON.stringify(r.info) });
    });
    const sparse = EXPERT_COUNTS.map(setup);
    const rounds: Round[] = [];
    // Interleaved: 4, 8, 16, 32 (ours), then the same sizes in numpy, round after round; round i
    // starts at size i mod 4 (8, 16, 32, 4 in the second round, and so on).
    for (let i = 0; i < WARMUP_STEPS + TIMED_STEPS; i++) {
      const order = EXPERT_COUNTS.map((_, j) => (i + j) % EXPERT_COUNTS.length);
      const ours: Sample[] = new Array<Sample>(EXPERT_COUNTS.length);
      for (const j of order) ours[j] = timed(() => sparseStep(sparse[j], i));
      const numpy: (number | null)[][] = [];
      for (const ref of refs) {
        const times: (number | null)[] = new Array<number | null>(EXPERT_COUNTS.length).fill(null);
        for (const j of order) times[j] = ref === null ? null : await ref.step(EXPERT_COUNTS[j]);
        numpy.push(times);
      }
      if (i >= WARMUP_STEPS) rounds.push({ ours, numpy });
    }
    sparse.forEach((s) => s.dispose());
    refs.forEach((r) => r?.close());
    EXPERT_COUNTS.forEach((n, j) => {
      const numpyMs = refs.map((r, c) => (r === null ? null : medianOf(rounds, (x) => x.numpy[c][j] as number)));
      const available = numpyMs.map((v, c) => (v === null ? -1 : c)).filter((c) => c >= 0);
      const vsNumpy = available.length === 0 ? null : medianOf(rounds, (x) => Math.min(...available.map((c) => x.numpy[c][j] as number)) / x.ours[j].wall);
      emit({
        bench: 'moe-scaling',
        backend,
        experts: n,
        top_k: TOP_K,
        tokens: TOKENS,
        capacity_factor: CAPACITY_FACTOR,
        path: lastPath.get(n) ?? null,
        repetitions: rounds.length,
        step_ms: round(medianOf(rounds, (x) => x.ours[j].wall)),
        ratio_vs_4: round(medianOf(rounds, (x) => x.ours[j].wall / x.ours[0].wall), 3),
        // The layer alone (forward + backward, without the Adam update, which touches 6 variables per expert).
        layer_ratio_vs_4: round(medianOf(rounds, (x) => (x.ours[j].wall - x.ours[j].update) / (x.ours[0].wall - x.ours[0].update)), 3),
        cpu_ms: round(medianOf(rounds, (x) => x.ours[j].cpu)),
        cpu_ratio_vs_4: round(medianOf(rounds, (x) => x.ours[j].cpu / x.ours[0].cpu), 3),
        update_ms: round(medianOf(rounds, (x) => x.ours[j].update)),
        numpy_ms: numpyMs[0] === null ? null : round(numpyMs[0]),
        numpy_1thread_ms: numpyMs[1] === null ? null : round(numpyMs[1]),
        vs_numpy: vsNumpy === null ? null : round(vsNumpy, 3),
        goal_ratio_vs_4: 1.15,
        goal_vs_numpy: 1,
      });
    });
    // Dense masking (every expert on every token): what sparse dispatch avoids. Not a goal figure.
    const dense = DENSE_EXPERT_COUNTS.map(setup);
    const denseRounds: Sample[][] = [];
    for (let i = 0; i < 1 + DENSE_STEPS; i++) {
      const r = dense.map((s) => timed(() => denseStep(s, i)));
      if (i >= 1) denseRounds.push(r);
    }
    dense.forEach((s) => s.dispose());
    DENSE_EXPERT_COUNTS.forEach((n, j) => {
      emit({
        bench: 'moe-scaling-dense', backend, experts: n, top_k: TOP_K, tokens: TOKENS, repetitions: denseRounds.length,
        step_ms: round(medianOf(denseRounds, (x) => x[j].wall)),
        ratio_vs_4: round(medianOf(denseRounds, (x) => x[j].wall / x[0].wall), 3),
      });
    });
  },
});

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
