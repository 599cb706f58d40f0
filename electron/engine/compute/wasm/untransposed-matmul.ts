// BatchMatMul and _FusedMatMul run about 10x slower on wasm with a transposed operand
// (measured: 200 ms against 20 ms for [10240,64]^T x [10240,256]). Every matMul gradient
// transposes an operand, so training spent most of its time there. The wrapper transposes
// explicitly (a fast kernel) and calls the original kernel untransposed.
//
// A weight's gradient is x^T · dy with x [rows, M] and dy [rows, N], rows the batch's tokens. When
// x is the wider (M > N: the GELU activations [rows, H] before an [H, D] layer), transposing it
// copies the most numbers; (dy^T · x)^T gives the same products, summed in the same order, from
// a transpose of dy and of the small [N, M] result (`swapWide`, BatchMatMul only: a fused bias
// or activation applies to the columns of the result as it is). The transposes were 18% of the
// texture expert's training.
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmBackendLike } from './wasm-backend-like.ts';

export function untransposeOperands(original: tf.KernelFunc, options: { swapWide?: boolean } = {}): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (transpose === undefined) return original(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const temps: tf.TensorInfo[] = [];
    const swapLastTwo = (t: tf.TensorInfo): tf.TensorInfo => {
      const r = t.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      return transpose.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const temp = (t: tf.TensorInfo): tf.TensorInfo => {
      temps.push(t);
      return t;
    };
    const inputs = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const untransposed = { ...args.attrs, transposeA: false, transposeB: false };
    try {
      const { a, b } = inputs;
      if (options.swapWide && attrs.transposeA && !attrs.transposeB && a.shape[a.shape.length - 1] > b.shape[b.shape.length - 1]) {
        const product = temp(original({ inputs: { a: temp(swapLastTwo(b)), b: a }, backend: args.backend, attrs: untransposed }) as tf.TensorInfo);
        return swapLastTwo(product);
      }
      const left = attrs.transposeA ? temp(swapLastTwo(a)) : a;
      const right = attrs.transposeB ? temp(swapLastTwo(b)) : b;
      return original({ inputs: { ...args.inputs, a: left, b: right }, backend: args.backend, attrs: untransposed });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
