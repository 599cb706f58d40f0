// One optimization step over groups of variables, each with its own optimizer (learning-rate
// multipliers are separate Adam optimizers). Leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import type { FusedAdam } from '../compute/fused-adam.ts';

export interface ParamGroup {
  optimizer: FusedAdam;
  variables: tf.Variable[];
}

/**
 * Computes d loss / d variables of every group, applies each group's optimizer, returns the loss.
 * A variable the loss does not reach (the head of a domain absent from a mixed batch) gets no
 * gradient and is left as it is, its Adam moments too.
 */
export function trainStep(loss: () => tf.Scalar, groups: readonly ParamGroup[]): number {
  const all = groups.flatMap((g) => g.variables);
  if (all.length === 0) throw new Error('trainStep has no variables to train');
  const { value, grads } = tf.variableGrads(loss, all);
  try {
    for (const g of groups) {
      const mine: tf.NamedTensorMap = {};
      for (const v of g.variables) if (grads[v.name] !== undefined) mine[v.name] = grads[v.name];
      g.optimizer.applyGradients(mine);
    }
    return value.dataSync()[0];
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

/** Lets timers and messages (an abort from the host) run between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
