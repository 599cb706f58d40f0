// Sparse embedding gradients (training/row-leaves.ts): a step that trains a text table through a
// leaf of the rows its batch reads ends with the same weights and Adam moments, bit for bit, as
// the step through the whole table's gradient; the leaf is shared by the parts that read one
// table, and nothing is left behind.
import * as tf from '@tensorflow/tfjs';
import { ModelShapeInput } from '../../../shared/config.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdam, type AdamMoments } from '../../../electron/engine/compute/fused-adam.ts';
import { buildBatch, prepareDomain } from '../../../electron/engine/data/domain-data.ts';
import type { TextInput } from '../../../electron/engine/model/encoders/text-encoder.ts';
import { anchorShapes, createAnchorModel } from '../../../electron/engine/model/anchor-model.ts';
import { headLoss } from '../../../electron/engine/model/heads.ts';
import { disposeModel, forward, lookupTableNames, namedVariables, type MultiTaskModel, type TaskBatch } from '../../../electron/engine/model/multitask-model.ts';
import { headKindOf, taskSpecOf } from '../../../electron/engine/model/task.ts';
import { createRng } from '../../../electron/engine/rng.ts';
import { textRowLeaves } from '../../../electron/engine/training/row-leaves.ts';
import { trainStep } from '../../../electron/engine/training/train-step.ts';
import { useBackend } from './setup-backend.ts';
import { semanticsDataset, syntaxDataset } from './synthetic.ts';

beforeAll(useBackend);

const datasets = [syntaxDataset(120), semanticsDataset(160)];
const shapes = anchorShapes(ModelShapeInput.parse({ dim: 16, hidden: 24, text_buckets: 2048 }), datasets);
const tasks = datasets.map((d, i) => taskSpecOf(d, shapes.tasks[i]));
const data = datasets.map((d, i) => prepareDomain(d, tasks[i], shapes.tasks[i]));

function textTable(model: MultiTaskModel): tf.Variable {
  const encoder = model.encoders.text;
  if (encoder.modality !== 'text') throw new Error('unreachable: a text anchor');
  return encoder.params.embedding;
}

/** Two parts (one per task) of the training records, step `step`. */
function parts(step: number): { parts: TaskBatch[]; targets: ReturnType<typeof buildBatch>['targets'][] } {
  const batches = data.map((d) => buildBatch(d, d.splits.train.slice(step * 8, step * 8 + 8), createRng(step)));
  return { parts: batches.map((b, task) => ({ task, input: b.input })), targets: batches.map((b) => b.targets) };
}

function lossOf(model: MultiTaskModel, p: TaskBatch[], targets: ReturnType<typeof parts>['targets'], step: number): tf.Scalar {
  // Token dropout zeroes some words' features: rows read only there get an all-zero gradient.
  const r = forward(model, p, { training: true, noiseSeed: 0, dropout: { rate: 0.5, seed: step } });
  return tf.addN(r.outputs.map((o, i) => headLoss(headKindOf(model.tasks[i]), o, targets[i], model.tasks[i].rating))) as tf.Scalar;
}

/** Weights by their role in the model, and the optimizer's moments likewise (variable names differ per model). */
function train(sparse: boolean): { weights: Map<string, number[]>; moments: AdamMoments[] } {
  const model = createAnchorModel(tasks, shapes.shape, 5);
  const optimizer = new FusedAdam(0.01, { rowSparse: lookupTableNames(model) });
  const variables = namedVariables(model).map(([, v]) => v);
  try {
    for (let step = 0; step < 4; step++) {
      const batch = parts(step);
      const { parts: read, leaves } = sparse ? textRowLeaves(model, batch.parts, new Set(variables)) : { parts: batch.parts, leaves: [] };
      trainStep(() => lossOf(model, read, batch.targets, step), [{ optimizer, variables }], leaves);
    }
    const roleOf = new Map(namedVariables(model).map(([role, v]) => [v.name, role]));
    const moments = optimizer
      .getState()
      .moments.map((m) => ({ ...m, name: roleOf.get(m.name)! }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return { weights: new Map(namedVariables(model).map(([n, v]) => [n, Array.from(v.dataSync())])), moments };
  } finally {
    optimizer.dispose();
    disposeModel(model);
  }
}

describe('text tables trained through row leaves', () => {
  it('end with the weights and moments of the whole-table gradient, bit for bit', () => {
    const dense = train(false);
    const sparse = train(true);
    expect([...sparse.weights.keys()]).toEqual([...dense.weights.keys()]);
    for (const [name, w] of dense.weights) expect(sparse.weights.get(name), name).toEqual(w);
    expect(sparse.moments).toEqual(dense.moments);
    expect(dense.moments.map((m) => m.name)).toContain('encoder/text/embedding');
    // The table did learn (and not every row: the lazy update leaves unread rows as they were).
    const initial = createAnchorModel(tasks, shapes.shape, 5);
    const table = Array.from(textTable(initial).dataSync());
    disposeModel(initial);
    const trained = dense.weights.get('encoder/text/embedding')!;
    const changed = trained.filter((v, i) => v !== table[i]).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(table.length / 2);
  });

  it('share one leaf per table, index it by first reading, and leave untrainable tables and other parts alone', () => {
    const model = createAnchorModel(tasks, shapes.shape, 5);
    const batch = parts(0);
    const tensors = tf.memory().numTensors;
    try {
      const table = textTable(model);
      const { parts: read, leaves } = textRowLeaves(model, batch.parts, new Set([table]));
      expect(leaves.length).toBe(1);
      const [{ rows, leaf }] = leaves;
      expect(leaves[0].table).toBe(table);
      expect(new Set(rows).size).toBe(rows.length);
      const original = batch.parts.flatMap((p) => Array.from((p.input as TextInput).featureIds));
      expect([...rows]).toEqual([...new Set(original)]);
      read.forEach((p, i) => {
        const input = p.input as TextInput;
        expect(input.rows).toBe(leaf);
        expect(Array.from(input.featureIds, (k) => rows[k])).toEqual(Array.from((batch.parts[i].input as TextInput).featureIds));
      });
      const all = table.dataSync();
      const width = shapes.shape.dim;
      expect(Array.from(leaf.dataSync())).toEqual(Array.from(rows).flatMap((r) => Array.from(all.subarray(r * width, (r + 1) * width))));
      leaf.dispose();
      const frozen = textRowLeaves(model, batch.parts, new Set());
      expect(frozen.leaves).toEqual([]);
      expect(frozen.parts).toEqual(batch.parts);
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      disposeModel(model);
    }
  });

  it('leave no tensor and no variable behind after a step', () => {
    const model = createAnchorModel(tasks, shapes.shape, 5);
    const optimizer = new FusedAdam(0.01, { rowSparse: lookupTableNames(model) });
    const variables = namedVariables(model).map(([, v]) => v);
    const before = { tensors: tf.memory().numTensors, variables: Object.keys(tf.engine().registeredVariables).length };
    const batch = parts(1);
    const { parts: read, leaves } = textRowLeaves(model, batch.parts, new Set(variables));
    trainStep(() => lossOf(model, read, batch.targets, 1), [{ optimizer, variables }], leaves);
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(before.variables);
    optimizer.dispose();
    disposeModel(model);
  });
});
