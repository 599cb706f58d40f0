// Adam as one pass over each variable's numbers instead of about 17 small kernels per variable
// (tf.train.adam). On wasm those kernels' fixed costs dominate when a model has many small
// variables, as an MoE with many experts does: the update then grows with the expert count.
// Same formula and defaults as tf.train.adam; moments and step counts are kept per variable, so
// a variable that gets no gradient in a step (a head whose domain is absent from a mixed batch)
// is left exactly as it is, moments included, as in PyTorch when a parameter's grad is None.
import * as tf from '@tensorflow/tfjs';

interface Moments { m: Float32Array; v: Float32Array; steps: number }

export class FusedAdam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly moments = new Map<string, Moments>();

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = tf.backend().epsilon()) {
    if (!(learningRate > 0)) throw new Error(`FusedAdam: learning rate must be > 0, got ${learningRate}`);
    this.learningRate = learningRate;
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
      this.update(variable, grad.dataSync() as Float32Array);
    }
  }

  private update(variable: tf.Variable, g: Float32Array): void {
    let state = this.moments.get(variable.name);
    if (!state) {
      state = { m: new Float32Array(g.length), v: new Float32Array(g.length), steps: 0 };
      this.moments.set(variable.name, state);
    }
    state.steps++;
    const { m, v } = state;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const step = this.learningRate / (1 - b1 ** state.steps);
    const secondCorrection = 1 - b2 ** state.steps;
    const eps = this.epsilon;
    const w = variable.dataSync().slice() as Float32Array;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      w[i] -= (step * m[i]) / (Math.sqrt(v[i] / secondCorrection) + eps);
    }
    const next = tf.tensor(w, variable.shape, 'float32');
    variable.assign(next);
    next.dispose();
  }

  dispose(): void {
    this.moments.clear();
  }
}
