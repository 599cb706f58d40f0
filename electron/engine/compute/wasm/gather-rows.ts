// GatherV2 on wasm copies element by element through strides (32 ms for 10240 rows of 64
// floats), and the MoE dispatch gathers rows every step. This kernel copies whole rows for
// the common case (batchDims 0, every index in range); anything else, including the original's
// out-of-range error, goes to the original kernel.
import type * as tf from '@tensorflow/tfjs';
import { sizeOf, type KernelArgs, type WasmBackendLike } from './wasm-backend-like.ts';

export function gatherRows(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    const rank = x.shape.length;
    const ax = axis < 0 ? axis + rank : axis;
    const plain = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
    if (batchDims !== 0 || ax < 0 || ax >= rank || indices.dtype !== 'int32' || !plain) return original(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const dimSize = x.shape[ax];
    const checked = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < checked.length; i++) if (!(checked[i] >= 0 && checked[i] < dimSize)) return original(args);
    const outer = sizeOf(x.shape.slice(0, ax));
    const slice = sizeOf(x.shape.slice(ax + 1));
    const count = checked.length;
    const out = backend.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    // Views after makeOutput: an allocation can grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let o = 0; o < outer; o++) {
      const srcBase = o * dimSize * slice;
      const dstBase = o * count * slice;
      for (let i = 0; i < count; i++) {
        const from = srcBase + ids[i] * slice;
        const to = dstBase + i * slice;
        if (slice >= 16) dst.set(src.subarray(from, from + slice), to);
        else for (let j = 0; j < slice; j++) dst[to + j] = src[from + j];
      }
    }
    return out;
  };
}
