// Sum of rows by segment (rows of one word's features into the word, tokens of one text into the
// text) with a gradient that is one gather. TensorFlow's own gradient of UnsortedSegmentSum first
// clips negative ids and masks their rows (maximum, greaterEqual, a broadcast logicalAnd against
// a [rows, D] tensor of ones, where): on wasm that broadcast logicalAnd alone took over a third
// of a text expert's training time. Here every id is a valid segment, so the mask is all true.
import * as tf from '@tensorflow/tfjs';

/** out[s] = sum of x[i] over the rows i with ids[i] = s; every id must lie in [0, segments). */
export function segmentSum(x: tf.Tensor2D, ids: Int32Array, segments: number): tf.Tensor2D {
  for (const id of ids) if (id < 0 || id >= segments) throw new Error(`segmentSum: id ${id} outside [0, ${segments})`);
  return tf.tidy(() => {
    const index = tf.tensor1d(ids, 'int32');
    // The ids are saved with the node: the backward pass runs after this tidy has ended.
    const sum = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [rows, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([index]);
      return { value: tf.unsortedSegmentSum(rows, index, segments), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.gather(dy, saved[0]) };
    });
    return sum(x) as tf.Tensor2D;
  });
}
