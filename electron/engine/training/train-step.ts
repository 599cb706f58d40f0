// One optimization step over groups of variables, each with its own optimizer (learning-rate
// multipliers are separate Adam optimizers). Leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';

export interface ParamGroup {
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
}

/**
 * Computes d loss / d variables of every group, applies each group's optimizer, returns the loss.
 * A variable the loss does not reach (the head of a domain absent from a mixed batch) gets a zero
 * gradient: tfjs optimizers keep their moments by position in the gradient map, so every step must
 * pass the same variables in the same order. (Adam's momentum still moves such a variable a little.)
 */
export function trainStep(loss: () => tf.Scalar, groups: readonly ParamGroup[]): number {
  const all = groups.flatMap((g) => g.variables);
  if (all.length === 0) throw new Error('trainStep has no variables to train');
  const { value, grads } = tf.variableGrads(loss, all);
  const zeros: tf.Tensor[] = [];
  try {
    for (const g of groups) {
      const mine: tf.NamedTensorMap = {};
      for (const v of g.variables) {
        let grad = grads[v.name];
        if (grad === undefined) zeros.push((grad = tf.zerosLike(v)));
        mine[v.name] = grad;
      }
      g.optimizer.applyGradients(mine);
    }
    return value.dataSync()[0];
  } finally {
    value.dispose();
    tf.dispose([...Object.values(grads), ...zeros]);
  }
}

/** Lets timers and messages (an abort from the host) run between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
