// FusedAdam against tf.train.adam: the same trajectory (to float32 rounding), variables without a
// gradient untouched, no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../electron/engine/compute/backend.ts';
import { FusedAdam } from '../../../electron/engine/compute/fused-adam.ts';
import { ownedHeapFloats } from '../../../electron/engine/compute/wasm/heap-view.ts';

beforeAll(async () => {
  await initBackend();
});

let n = 0;
function problem() {
  const id = n++;
  const w = tf.variable(tf.randomNormal([6, 3], 0, 1, 'float32', 11), true, `fa${id}/w`);
  const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 12), true, `fa${id}/b`);
  const x = tf.randomNormal([8, 6], 0, 1, 'float32', 13);
  const y = tf.randomNormal([8, 3], 0, 1, 'float32', 14);
  const loss = () => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar;
  return { w, b, loss, dispose: () => tf.dispose([w, b, x, y]) };
}

describe('FusedAdam', () => {
  it('follows tf.train.adam step for step', () => {
    const a = problem();
    const r = problem();
    const fused = new FusedAdam(0.05);
    const reference = tf.train.adam(0.05);
    for (let step = 0; step < 20; step++) {
      const ga = tf.variableGrads(a.loss);
      fused.applyGradients(ga.grads);
      tf.dispose([ga.value, ...Object.values(ga.grads)]);
      reference.minimize(r.loss);
    }
    const diff = Math.max(...Array.from(tf.tidy(() => tf.abs(tf.sub(a.w, r.w)).dataSync())), ...Array.from(tf.tidy(() => tf.abs(tf.sub(a.b, r.b)).dataSync())));
    expect(diff).toBeLessThan(1e-5);
    // And it actually trained: the loss fell.
    expect(tf.tidy(() => a.loss().dataSync()[0])).toBeLessThan(0.9 * tf.tidy(() => problem().loss().dataSync()[0]));
    reference.dispose();
    a.dispose();
    r.dispose();
  });

  it('leaves a variable without a gradient, and its moments, exactly as they were', () => {
    const p = problem();
    const fused = new FusedAdam(0.1);
    const before = p.b.dataSync().slice();
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(p.loss, [p.w]);
      fused.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(Array.from(p.b.dataSync())).toEqual(Array.from(before));
    p.dispose();
  });

  it('leaves no tensor behind and refuses unknown names', () => {
    const p = problem();
    const fused = new FusedAdam(0.1);
    const { value, grads } = tf.variableGrads(p.loss);
    const count = tf.memory().numTensors;
    fused.applyGradients(grads);
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([value, ...Object.values(grads)]);
    const stray = tf.zeros([1]);
    expect(() => fused.applyGradients({ 'no/such/variable': stray })).toThrow(/no variable named/);
    stray.dispose();
    expect(() => new FusedAdam(0)).toThrow(/learning rate/);
    p.dispose();
  });

  it('a restored optimizer continues exactly like an uninterrupted one; a fresh one does not', () => {
    const steps = (opt: FusedAdam, p: ReturnType<typeof problem>, n: number) => {
      for (let i = 0; i < n; i++) {
        const { value, grads } = tf.variableGrads(p.loss);
        opt.applyGradients(grads);
        tf.dispose([value, ...Object.values(grads)]);
      }
    };
    const weights = (p: ReturnType<typeof problem>) => [...Array.from(p.w.dataSync()), ...Array.from(p.b.dataSync())];
    const straight = problem();
    steps(new FusedAdam(0.05), straight, 10);
    const resumed = problem();
    const first = new FusedAdam(0.05);
    steps(first, resumed, 5);
    const state = first.getState();
    expect(state.moments.map((m) => [m.name, m.steps, m.m.length])).toEqual([[resumed.b.name, 5, 3], [resumed.w.name, 5, 18]]);
    // What a checkpoint keeps is a copy: the running optimizer goes on without changing it.
    const saved = structuredClone(state);
    state.moments[1].m.fill(7);
    expect(first.getState().moments[1].m[0]).not.toBe(7);
    const second = new FusedAdam(0.05);
    second.setState(saved);
    saved.moments[0].m.fill(123);
    steps(second, resumed, 5);
    expect(weights(resumed)).toEqual(weights(straight));
    // Without the state (what resume did before): a different trajectory.
    const fresh = problem();
    steps(new FusedAdam(0.05), fresh, 5);
    steps(new FusedAdam(0.05), fresh, 5);
    expect(weights(fresh)).not.toEqual(weights(straight));
    expect(() => new FusedAdam(0.1).setState(first.getState())).toThrow(/learningRate is 0.05 in the saved state, 0.1 here/);
    const wrong = first.getState();
    wrong.moments[0].m = new Float32Array(2);
    wrong.moments[0].v = new Float32Array(2);
    expect(() => new FusedAdam(0.05).setState(wrong)).toThrow(/has 3 values, its saved moments 2/);
    [straight, resumed, fresh].forEach((p) => p.dispose());
  });

  it('updates a lookup table lazily: untouched rows keep weights and moments, touched rows follow Adam', () => {
    // A 5-row table of which a batch reads rows 1 and 3 (row 3 twice), through gather as the encoders do.
    // Owned by the variable alone (tidy), so on wasm it is updated in place.
    const table = tf.tidy(() => tf.variable(tf.randomNormal([5, 4], 0, 1, 'float32', 21), true, `fa${n++}/table`));
    expect(ownedHeapFloats(table) !== null).toBe(tf.getBackend() === 'wasm');
    const rows = [tf.variable(tf.gather(table, [1]), true, `fa${n++}/row1`), tf.variable(tf.gather(table, [3]), true, `fa${n++}/row3`)];
    const target = tf.randomNormal([3, 4], 0, 1, 'float32', 22);
    const ids = tf.tensor1d([1, 3, 3], 'int32');
    const tableLoss = () => tf.losses.meanSquaredError(target, tf.gather(table, ids)) as tf.Scalar;
    // The same loss over the two rows as separate variables: their Adam is the reference.
    const rowLoss = () => tf.losses.meanSquaredError(target, tf.concat([rows[0], rows[1], rows[1]], 0)) as tf.Scalar;
    const lazy = new FusedAdam(0.05, { rowSparse: new Set([table.name]) });
    const reference = new FusedAdam(0.05);
    const before = table.arraySync() as number[][];
    for (let step = 0; step < 5; step++) {
      for (const [opt, loss] of [[lazy, tableLoss], [reference, rowLoss]] as const) {
        const { value, grads } = tf.variableGrads(loss);
        opt.applyGradients(grads);
        tf.dispose([value, ...Object.values(grads)]);
      }
    }
    const after = table.arraySync() as number[][];
    for (const untouched of [0, 2, 4]) expect(after[untouched]).toEqual(before[untouched]);
    const moments = lazy.getState().moments[0];
    for (const untouched of [0, 2, 4]) expect(Array.from(moments.m.subarray(untouched * 4, untouched * 4 + 4))).toEqual([0, 0, 0, 0]);
    expect(after[1]).not.toEqual(before[1]);
    for (const [i, row] of [[0, 1], [1, 3]]) {
      const expected = (rows[i].arraySync() as number[][])[0];
      after[row].forEach((x, j) => expect(x).toBeCloseTo(expected[j], 6));
    }
    // Dense Adam on the same table moves no row differently here (no row is untouched after a
    // touch), so the difference is only in rows 0, 2, 4: checked above.
    tf.dispose([table, ...rows, target, ids]);
  });

  it('updates a table at given rows from their own gradient as from the whole table\'s, zero rows skipped alike', () => {
    // Rows 4, 1 and 6 of an 8-row table, in that order; after the first step row 1's gradient is
    // all zero (read, not reached): the whole table's gradient skips it, moments included, so
    // must the rows' update.
    const make = (name: string) => tf.tidy(() => tf.variable(tf.randomNormal([8, 3], 0, 1, 'float32', 41), true, `fa${n++}/${name}`));
    const [whole, atRows] = [make('whole'), make('rows')];
    const rows = Int32Array.from([4, 1, 6]);
    const a = new FusedAdam(0.05, { rowSparse: new Set([whole.name]) });
    const b = new FusedAdam(0.05, { rowSparse: new Set([atRows.name]) });
    for (let step = 0; step < 3; step++) {
      const g = tf.tidy(() => tf.mul(tf.randomNormal([3, 3], 0, 1, 'float32', 50 + step), tf.tensor2d([1, step === 0 ? 1 : 0, 1], [3, 1])));
      const dense = tf.tidy(() => tf.scatterND(tf.tensor2d(Array.from(rows), [3, 1], 'int32'), g, [8, 3]));
      a.applyGradients({ [whole.name]: dense });
      b.applyRowGradients(atRows, rows, g);
      tf.dispose([g, dense]);
    }
    expect(Array.from(atRows.dataSync())).toEqual(Array.from(whole.dataSync()));
    const [ma, mb] = [a.getState().moments[0], b.getState().moments[0]];
    expect([Array.from(mb.m), Array.from(mb.v), mb.steps]).toEqual([Array.from(ma.m), Array.from(ma.v), ma.steps]);
    // The unread rows kept zero moments; row 1 kept those of its first step.
    for (const row of [0, 2, 3, 5, 7]) expect(Array.from(mb.m.subarray(row * 3, row * 3 + 3))).toEqual([0, 0, 0]);
    expect(Array.from(mb.m.subarray(3, 6)).every((m) => m !== 0)).toBe(true);
    expect(() => b.applyRowGradients(whole, rows, tf.zeros([3, 3]))).toThrow(/not one of the lookup tables/);
    expect(() => b.applyRowGradients(atRows, Int32Array.from([9]), tf.zeros([1, 3]))).toThrow(/outside the table/);
    tf.dispose([whole, atRows]);
  });

  it('never writes through to another tensor that shares a table\'s numbers', () => {
    const table = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 31), true, `fa${n++}/shared`);
    const alias = tf.clone(table);
    const before = alias.dataSync().slice();
    const fused = new FusedAdam(0.1, { rowSparse: new Set([table.name]) });
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.gather(table, [0, 2]))) as tf.Scalar);
    fused.applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    expect(Array.from(alias.dataSync())).toEqual(Array.from(before));
    expect(Array.from(table.dataSync())).not.toEqual(Array.from(before));
    tf.dispose([alias, table]);
  });
});
