// BatchMatMul and _FusedMatMul run about 10x slower on wasm with a transposed operand
// (measured: 200 ms against 20 ms for [10240,64]^T x [10240,256]). Every matMul gradient
// transposes an operand, so training spent most of its time there. The wrapper transposes
// explicitly (a fast kernel) and calls the original kernel untransposed.
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmBackendLike } from './wasm-backend-like.ts';

export function untransposeOperands(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (transpose === undefined) return original(args);
    const temps: tf.TensorInfo[] = [];
    const swapLastTwo = (t: tf.TensorInfo): tf.TensorInfo => {
      const r = t.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      const out = transpose.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    const inputs = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const a = attrs.transposeA ? swapLastTwo(inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLastTwo(inputs.b) : inputs.b;
    const result = original({ inputs: { ...args.inputs, a, b }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    for (const t of temps) (args.backend as unknown as WasmBackendLike).disposeData(t.dataId);
    return result;
  };
}
