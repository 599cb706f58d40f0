// UnsortedSegmentSum, missing from the wasm backend: it is the gradient of gather, so without
// it neither an embedding lookup nor the MoE dispatch trains. Float32 rows are summed by a SIMD
// kernel on the backend's heap (segment-sum.wat), the same numbers as a JavaScript loop (tested
// bit for bit) in about 30% of its time in a text expert's step; int32 rows by the loop below.
import type * as tf from '@tensorflow/tfjs';
import { heapKernel, type WithMemory } from './heap-kernel.ts';
import { SEGMENT_SUM_WASM } from './segment-sum-wasm.ts';
import { sizeOf, type WasmBackendLike } from './wasm-backend-like.ts';

/** segment_sum(xOffset, idsOffset, outOffset, rows, inner, segments), offsets in bytes; out zeroed first. */
const segmentSumOnHeap = heapKernel<(x: number, ids: number, out: number, rows: number, inner: number, segments: number) => void>(SEGMENT_SUM_WASM, 'segment_sum');

/**
 * out[s, ...] = sum of x[i, ...] over every i with segmentIds[i] = s; ids outside [0, n) are
 * skipped (as in TensorFlow). The result keeps x's dtype, as in TensorFlow (the cpu backend
 * returns float32 for int32 input).
 */
export function unsortedSegmentSum(args: { inputs: { x: tf.TensorInfo; segmentIds: tf.TensorInfo }; backend: WasmBackendLike; attrs: { numSegments: number } }): tf.TensorInfo {
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs;
  const idRank = segmentIds.shape.length;
  const inner = sizeOf(x.shape.slice(idRank));
  const rows = sizeOf(segmentIds.shape);
  // Allocate first: a heap growth would detach views taken before it.
  const out = args.backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const xs = args.backend.typedArrayFromHeap(x);
  const ids = args.backend.typedArrayFromHeap(segmentIds) as Int32Array;
  const target = args.backend.typedArrayFromHeap(out);
  target.fill(0);
  if (target instanceof Float32Array) segmentSumOnHeap(args.backend as WithMemory)(xs.byteOffset, ids.byteOffset, target.byteOffset, rows, inner, numSegments);
  else sumInt(xs as Int32Array, ids, target as Int32Array, rows, inner, numSegments);
  return out;
}

function sumInt(xs: Int32Array, ids: Int32Array, target: Int32Array, rows: number, inner: number, numSegments: number): void {
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) target[dst + j] = (target[dst + j] + xs[src + j]) | 0;
  }
}
