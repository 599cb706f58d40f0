// One optimization step over groups of variables, each with its own optimizer (learning-rate
// multipliers are separate Adam optimizers). Leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import type { FusedAdam } from '../compute/fused-adam.ts';
import type { RowLeaf } from './row-leaves.ts';

export interface ParamGroup {
  optimizer: FusedAdam;
  variables: tf.Variable[];
}

/**
 * Computes d loss / d variables of every group, applies each group's optimizer, returns the loss.
 * A variable the loss does not reach (the head of a domain absent from a mixed batch) gets no
 * gradient and is left as it is, its Adam moments too. A table with a leaf (row-leaves.ts) is
 * differentiated through its leaf and updated at the leaf's rows; the leaves are disposed here.
 */
export function trainStep(loss: () => tf.Scalar, groups: readonly ParamGroup[], leaves: readonly RowLeaf[] = []): number {
  try {
    const leafOf = new Map(leaves.map((l) => [l.table, l]));
    const all = [...groups.flatMap((g) => g.variables.filter((v) => !leafOf.has(v))), ...leaves.map((l) => l.leaf)];
    if (all.length === 0) throw new Error('trainStep has no variables to train');
    const { value, grads } = tf.variableGrads(loss, all);
    try {
      for (const g of groups) {
        const mine: tf.NamedTensorMap = {};
        for (const v of g.variables) {
          const leaf = leafOf.get(v);
          if (leaf === undefined) {
            if (grads[v.name] !== undefined) mine[v.name] = grads[v.name];
          } else if (grads[leaf.leaf.name] !== undefined) g.optimizer.applyRowGradients(v, leaf.rows, grads[leaf.leaf.name]);
        }
        g.optimizer.applyGradients(mine);
      }
      return value.dataSync()[0];
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  } finally {
    for (const l of leaves) l.leaf.dispose();
  }
}

/** Lets timers and messages (an abort from the host) run between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
