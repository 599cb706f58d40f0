// Adam as one pass over each variable's numbers instead of about 17 small kernels per variable
// (tf.train.adam). On wasm those kernels' fixed costs dominate when a model has many small
// variables, as an MoE with many experts does: the update then grows with the expert count.
// Same formula and defaults as tf.train.adam; moments and step counts are kept per variable, so
// a variable that gets no gradient in a step (a head whose domain is absent from a mixed batch)
// is left exactly as it is, moments included, as in PyTorch when a parameter's grad is None.
//
// Lookup tables (embeddings of words, users, items: rowSparse below) are updated lazily, as
// TensorFlow's LazyAdam and PyTorch's SparseAdam do: only the rows a batch touched (a nonzero
// gradient row) get their moments and weights updated. Dense Adam would also move every row ever
// touched on momentum alone, at the cost of a pass over the whole table each step (65,536 rows
// for a text expert, where a batch reads about a thousand). Text tables trained through row
// leaves (training/row-leaves.ts) hand over only the rows read (applyRowGradients), so neither
// the gradient nor this update reads the rest of the table.
import * as tf from '@tensorflow/tfjs';
import { heapFloats, ownedHeapFloats } from './wasm/heap-view.ts';

interface Moments { m: Float32Array; v: Float32Array; steps: number }

/** One variable's Adam state: first and second moments and its own step count. */
export interface AdamMoments { name: string; steps: number; m: Float32Array; v: Float32Array }

/**
 * Everything a FusedAdam carries between steps, copied out (getState) and back in (setState), so
 * that a resumed run continues exactly as an uninterrupted one would. Moments are keyed by
 * variable name.
 */
export interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  moments: AdamMoments[];
}

export class FusedAdam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly moments = new Map<string, Moments>();
  private readonly rowSparse: ReadonlySet<string>;

  /** `rowSparse`: names of the lookup tables among the variables, updated row by row (see above). */
  constructor(learningRate: number, options: { rowSparse?: ReadonlySet<string> } = {}, beta1 = 0.9, beta2 = 0.999, epsilon = tf.backend().epsilon()) {
    if (!(learningRate > 0)) throw new Error(`FusedAdam: learning rate must be > 0, got ${learningRate}`);
    this.learningRate = learningRate;
    this.rowSparse = options.rowSparse ?? new Set();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /** Updates every named variable that has a gradient; names come from tf.variable(..., name). */
  applyGradients(grads: tf.NamedTensorMap): void {
    const registered = tf.engine().registeredVariables;
    for (const [name, grad] of Object.entries(grads)) {
      const variable = registered[name];
      if (!variable) throw new Error(`FusedAdam: no variable named ${name}`);
      if (!variable.trainable) continue;
      this.update(variable, grad);
    }
  }

  /**
   * The lazy update of lookup table `table` at `rows` from `grad` [rows.length, width], the
   * gradient of those rows gathered into a table of their own (training/row-leaves.ts): the same
   * numbers as applyGradients with the whole table's gradient, rows without a gradient skipped
   * likewise, without reading the rest of the table. `rows` must not repeat.
   */
  applyRowGradients(table: tf.Variable, rows: Int32Array, grad: tf.Tensor): void {
    if (!table.trainable) return;
    if (!this.rowSparse.has(table.name)) throw new Error(`FusedAdam: ${table.name} is not one of the lookup tables`);
    const width = table.size / (table.shape[0] ?? 1);
    if (grad.size !== rows.length * width) throw new Error(`FusedAdam: ${rows.length} rows of ${table.name} with a gradient of ${grad.size} values`);
    const { state, rule } = this.nextStep(table);
    writeNumbers(table, true, (w) => adamAtRows(w, gradientNumbers(grad), state, rule, rows, width));
  }

  /** The variable's moments, its step count advanced, and this step's constants. */
  private nextStep(variable: tf.Variable): { state: Moments; rule: AdamRule } {
    let state = this.moments.get(variable.name);
    if (!state) {
      state = { m: new Float32Array(variable.size), v: new Float32Array(variable.size), steps: 0 };
      this.moments.set(variable.name, state);
    }
    state.steps++;
    const rule: AdamRule = {
      b1: this.beta1,
      b2: this.beta2,
      step: this.learningRate / (1 - this.beta1 ** state.steps),
      secondCorrection: 1 - this.beta2 ** state.steps,
      eps: this.epsilon,
    };
    return { state, rule };
  }

  private update(variable: tf.Variable, grad: tf.Tensor): void {
    const { state, rule } = this.nextStep(variable);
    const table = this.rowSparse.has(variable.name);
    const rows = table ? (variable.shape[0] ?? 1) : 1;
    writeNumbers(variable, table, (w) => adamRows(w, gradientNumbers(grad), state, rule, rows));
  }

  /**
   * The state, variables sorted by name: a copy, or with `copy: false` the optimizer's own moment
   * arrays (for a checkpoint written before the next update; they change with every step).
   */
  getState(options: { copy?: boolean } = {}): AdamState {
    const copy = options.copy ?? true;
    const moments = [...this.moments.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, s]) => ({ name, steps: s.steps, m: copy ? s.m.slice() : s.m, v: copy ? s.v.slice() : s.v }));
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, moments };
  }

  /**
   * Replaces the state with a copy of `state` (from getState, possibly of another instance). The
   * hyperparameters must match this optimizer's; a variable's moments must have its size.
   */
  setState(state: AdamState): void {
    for (const key of ['learningRate', 'beta1', 'beta2', 'epsilon'] as const) {
      if (state[key] !== this[key]) throw new Error(`FusedAdam.setState: ${key} is ${state[key]} in the saved state, ${this[key]} here`);
    }
    const registered = tf.engine().registeredVariables;
    const next = new Map<string, Moments>();
    for (const s of state.moments) {
      if (s.m.length !== s.v.length) throw new Error(`FusedAdam.setState: ${s.name}: m has ${s.m.length} values, v ${s.v.length}`);
      if (!Number.isInteger(s.steps) || s.steps < 1) throw new Error(`FusedAdam.setState: ${s.name}: step count must be a whole number >= 1, got ${s.steps}`);
      const variable = registered[s.name];
      if (variable && variable.size !== s.m.length) throw new Error(`FusedAdam.setState: ${s.name} has ${variable.size} values, its saved moments ${s.m.length}`);
      next.set(s.name, { m: s.m.slice(), v: s.v.slice(), steps: s.steps });
    }
    this.moments.clear();
    for (const [name, s] of next) this.moments.set(name, s);
  }

  dispose(): void {
    this.moments.clear();
  }
}

interface AdamRule { b1: number; b2: number; step: number; secondCorrection: number; eps: number }

/**
 * Runs `write` on the variable's numbers. On wasm a lookup table (`table`) is written where its
 * numbers lie; everything else is copied out and assigned back: the wasm matmul caches a packed
 * copy of its weight operand by tensor, so an in-place write to a weight would go unseen by the
 * next matmul. Tables are only gathered.
 */
function writeNumbers(variable: tf.Variable, table: boolean, write: (w: Float32Array) => void): void {
  const inPlace = table ? ownedHeapFloats(variable) : null;
  if (inPlace !== null) {
    write(inPlace);
    return;
  }
  const w = variable.dataSync().slice() as Float32Array;
  write(w);
  const next = tf.tensor(w, variable.shape, 'float32');
  variable.assign(next);
  next.dispose();
}

/** The gradient's numbers, read where they lie on wasm (valid until the next tensor allocation). */
function gradientNumbers(grad: tf.Tensor): Float32Array {
  return heapFloats(grad) ?? (grad.dataSync() as Float32Array);
}

/**
 * One Adam step over `w` seen as `rows` equal rows: a row whose gradient is all zero is skipped,
 * moments included (with rows = 1 the whole variable is one row, so this is plain Adam).
 */
function adamRows(w: Float32Array, g: Float32Array, s: Moments, r: AdamRule, rows: number): void {
  if (g.length !== w.length) throw new Error(`FusedAdam: gradient has ${g.length} values, the variable ${w.length}`);
  const width = w.length / rows;
  for (let row = 0; row < rows; row++) {
    const start = row * width;
    if (rows === 1 || !allZero(g, start, width)) adamSpan(w, g, s, r, start, start, width);
  }
}

/** adamRows at table rows `rows` only, the gradient of rows[k] being row k of `g`. */
function adamAtRows(w: Float32Array, g: Float32Array, s: Moments, r: AdamRule, rows: Int32Array, width: number): void {
  const tableRows = w.length / width;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    if (!(row >= 0 && row < tableRows)) throw new Error(`FusedAdam: row ${row} outside the table's ${tableRows}`);
    if (!allZero(g, k * width, width)) adamSpan(w, g, s, r, row * width, k * width, width);
  }
}

function allZero(g: Float32Array, start: number, width: number): boolean {
  for (let i = start; i < start + width; i++) if (g[i] !== 0) return false;
  return true;
}

/** Adam on w, m, v [at, at + width) from g [from, from + width). */
function adamSpan(w: Float32Array, g: Float32Array, s: Moments, r: AdamRule, at: number, from: number, width: number): void {
  const { m, v } = s;
  for (let j = 0; j < width; j++) {
    const i = at + j;
    const gi = g[from + j];
    m[i] = r.b1 * m[i] + (1 - r.b1) * gi;
    v[i] = r.b2 * v[i] + (1 - r.b2) * gi * gi;
    w[i] -= (r.step * m[i]) / (Math.sqrt(v[i] / r.secondCorrection) + r.eps);
  }
}
