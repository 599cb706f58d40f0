// Slice on wasm first copies the WHOLE input out of the heap (readSync), then cuts it; SplitV
// and Unpack call that slice once per piece, so splitting into N groups copied the input N
// times (93 ms for 32 groups of a [10240, 64] tensor; unstacking 32 stacked [64, 256] expert
// weights, the gradient of tf.stack, 200 ms). These kernels read through a heap view.
import * as tf from '@tensorflow/tfjs';
import { sizeOf, type KernelArgs, type WasmBackendLike } from './wasm-backend-like.ts';

function plainDtype(dtype: tf.DataType): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/** Copies x[begin : begin + size] through heap views; null when the dtype is not plain. */
function sliceThroughView(backend: WasmBackendLike, x: tf.TensorInfo, beginIn: number[], sizeIn: number[]): tf.TensorInfo | null {
  if (!plainDtype(x.dtype)) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, beginIn, sizeIn);
  const out = backend.makeOutput(size, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const total = sizeOf(size);
  if (total === 0) return out;
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const from = tf.slice_util.computeFlatOffset(begin, strides);
    dst.set(src.subarray(from, from + total));
    return out;
  }
  // Copy runs along the last axis, walking the outer index like an odometer.
  const rank = x.shape.length;
  const run = size[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  for (let written = 0; written < total; written += run) {
    let from = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (begin[d] + index[d]) * strides[d];
    dst.set(src.subarray(from, from + run), written);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

export function sliceView(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
    return sliceThroughView(args.backend as unknown as WasmBackendLike, x, begin, size) ?? original(args);
  };
}

export function splitView(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    if (!plainDtype(x.dtype)) return original(args);
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[ax] = s;
      const piece = sliceThroughView(args.backend as unknown as WasmBackendLike, x, [...begin], size) as tf.TensorInfo;
      begin[ax] += s;
      return piece;
    });
  };
}

export function unpackView(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { value } = args.inputs as unknown as { value: tf.TensorInfo };
    const { axis } = args.attrs as unknown as { axis: number };
    if (!plainDtype(value.dtype)) return original(args);
    const ax = tf.util.parseAxisParam(axis, value.shape)[0];
    const outShape = value.shape.filter((_, i) => i !== ax);
    const begin = new Array<number>(value.shape.length).fill(0);
    const size = [...value.shape];
    size[ax] = 1;
    return Array.from({ length: value.shape[ax] }, (_, i) => {
      begin[ax] = i;
      const piece = sliceThroughView(args.backend as unknown as WasmBackendLike, value, [...begin], size) as tf.TensorInfo;
      return { ...piece, shape: outShape };
    });
  };
}

/**
 * Identity (what tensor.clone() and every tensor saved for a gradient runs) copies the whole
 * tensor on wasm; tensors are immutable, so the clone shares the data (reference-counted), as the
 * cpu backend's Identity does: 96 copies per MoE training step.
 */
export function identityShared(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (!plainDtype(x.dtype)) return original(args);
    (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
