// Sum over the leading axes on wasm (the bias gradients of every dense layer: a [rows, H] tensor
// summed over its rows). The backend's Sum first transposes the reduced axes to the end, a
// strided copy of the whole input, then reduces: a quarter of the texture expert's training time
// went there. Summing row after row reads the input once, in order: a SIMD kernel on the
// backend's heap (sum-rows.wat) accumulating in float64, the same numbers as a JavaScript double
// loop (tested bit for bit; that loop was 5% of the texture expert's and of the dense baseline's
// training). Other reductions go to the original kernel.
import * as tf from '@tensorflow/tfjs';
import { heapKernel, type WithMemory } from './heap-kernel.ts';
import { SUM_ROWS_WASM } from './sum-rows-wasm.ts';
import { sizeOf, type KernelArgs, type WasmBackendLike } from './wasm-backend-like.ts';

/** sum_rows(xOffset, outOffset, scratchOffset, rows, width), offsets in bytes; scratch holds width float64s. */
const sumRowsOnHeap = heapKernel<(x: number, out: number, scratch: number, rows: number, width: number) => void>(SUM_ROWS_WASM, 'sum_rows');

export function sumLeadingAxes(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original(args);
    const kept = x.shape.slice(axes.length);
    const backend = args.backend as unknown as WasmBackendLike;
    // Allocate first: a heap growth would detach views taken before it.
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const width = sizeOf(kept);
    // Scratch for the float64 sums: width float64s.
    const scratch = backend.makeOutput([2 * width], 'float32');
    const at = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t).byteOffset;
    sumRowsOnHeap(backend as WithMemory)(at(x), at(out), at(scratch), sizeOf(x.shape.slice(0, axes.length)), width);
    backend.disposeData(scratch.dataId);
    return out;
  };
}
