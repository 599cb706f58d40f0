// Sparse gradients for text embedding tables. The gradient tfjs computes for a gathered table is
// the table's whole shape ([65,536, 64] for a text expert: 16 MB zeroed, scattered into and copied
// by a transpose each step), and the lazy optimizer then scans it for the rows a batch touched.
// Here a step gathers the rows its batch reads into a variable of their own (the leaf), the text
// inputs index that leaf, and the optimizer updates the table at those rows from the leaf's
// gradient (FusedAdam.applyRowGradients): the same numbers, without touching the rest of the table.
import * as tf from '@tensorflow/tfjs';
import type { TextInput } from '../model/encoders/text-encoder.ts';
import type { MultiTaskModel, TaskBatch } from '../model/multitask-model.ts';
import { uniqueName } from '../model/unique-name.ts';

/** A table's rows that one step trains: table[rows[k]] is leaf[k]. */
export interface RowLeaf {
  table: tf.Variable;
  rows: Int32Array;
  leaf: tf.Variable<tf.Rank.R2>;
}

/**
 * The parts with every text input whose encoder's embedding is in `trainable` reading a leaf of
 * the rows it touches (one leaf per table, shared by the parts that read it), and those leaves.
 * Other parts are returned as they are. The leaves are the caller's to dispose (trainStep does).
 */
export function textRowLeaves(model: MultiTaskModel, parts: readonly TaskBatch[], trainable: ReadonlySet<tf.Variable>): { parts: TaskBatch[]; leaves: RowLeaf[] } {
  const byTable = new Map<tf.Variable, number[]>();
  parts.forEach((p, i) => {
    const encoder = model.encoders[model.taskEncoder[p.task]];
    if (p.input.modality !== 'text' || p.tokens !== undefined || encoder.modality !== 'text' || !trainable.has(encoder.params.embedding)) return;
    const table = encoder.params.embedding;
    byTable.set(table, [...(byTable.get(table) ?? []), i]);
  });
  const out = [...parts];
  const leaves: RowLeaf[] = [];
  for (const [table, readers] of byTable) {
    const inputs = readers.map((i) => parts[i].input as TextInput);
    // local[id]: the leaf row of table row id (-1: not read), in order of first reading.
    const local = new Int32Array(table.shape[0] ?? 0).fill(-1);
    const read: number[] = [];
    for (const input of inputs) {
      for (const id of input.featureIds) {
        if (local[id] < 0) {
          local[id] = read.length;
          read.push(id);
        }
      }
    }
    const rows = Int32Array.from(read);
    const leaf = tf.tidy(() => tf.variable(tf.gather(table as tf.Tensor2D, tf.tensor1d(rows, 'int32')), true, uniqueName(`${table.name}/rows`)));
    leaves.push({ table, rows, leaf });
    readers.forEach((i, k) => {
      const input = inputs[k];
      out[i] = { ...parts[i], input: { ...input, featureIds: input.featureIds.map((id) => local[id]), rows: leaf } };
    });
  }
  return { parts: out, leaves };
}
