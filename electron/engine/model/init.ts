// Seeded variable initializers computed in JS (rng.ts), so an init is the same on every backend.
import * as tf from '@tensorflow/tfjs';
import { normalArray, uniformArray, type Rng } from '../rng.ts';

/** Glorot-uniform [rows, cols]. */
export function glorotVariable(rng: Rng, rows: number, cols: number): tf.Variable {
  const limit = Math.sqrt(6 / (rows + cols));
  return fromArray(uniformArray(rng, rows * cols, limit), [rows, cols]);
}

/** Normal(0, std) of any shape. */
export function normalVariable(rng: Rng, shape: number[], std: number): tf.Variable {
  return fromArray(normalArray(rng, shape.reduce((a, b) => a * b, 1), std), shape);
}

export function zerosVariable(shape: number[]): tf.Variable {
  return fromArray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
}

/** A trainable variable holding a copy of `data`. */
export function fromArray(data: Float32Array, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true));
}
