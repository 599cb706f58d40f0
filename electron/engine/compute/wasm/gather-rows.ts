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
    // Rows are copied within one view of the whole heap (both tensors lie in it): copyWithin is a
    // memmove, with no subarray object made per row (tens of thousands per step for a text batch).
    const heap = new (src.constructor as Float32ArrayConstructor)(src.buffer);
    const srcStart = src.byteOffset / src.BYTES_PER_ELEMENT;
    const dstStart = dst.byteOffset / dst.BYTES_PER_ELEMENT;
    for (let o = 0; o < outer; o++) {
      const srcBase = srcStart + o * dimSize * slice;
      const dstBase = dstStart + o * count * slice;
      for (let i = 0; i < count; i++) {
        const from = srcBase + ids[i] * slice;
        const to = dstBase + i * slice;
        if (slice >= 16) heap.copyWithin(to, from, from + slice);
        else for (let j = 0; j < slice; j++) heap[to + j] = heap[from + j];
      }
    }
    return out;
  };
}
