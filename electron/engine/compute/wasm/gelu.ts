// geluWithDerivative (compute/gelu.ts) on wasm: one loop over the heap, one exp per element.
import type * as tf from '@tensorflow/tfjs';
import { ERF_A, ERF_P } from '../gelu.ts';
import { sizeOf, type KernelArgs, type WasmBackendLike } from './wasm-backend-like.ts';

const [A1, A2, A3, A4, A5] = ERF_A;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function geluWithDerivativeWasm(args: KernelArgs): tf.TensorInfo[] {
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') throw new Error(`geluWithDerivative wants float32, got ${x.dtype}`);
  const backend = args.backend as unknown as WasmBackendLike;
  const value = backend.makeOutput([...x.shape], 'float32');
  const derivative = backend.makeOutput([...x.shape], 'float32');
  // Views after both allocations: an allocation can grow (and detach) the heap.
  fill(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(value) as Float32Array, backend.typedArrayFromHeap(derivative) as Float32Array, sizeOf(x.shape));
  return [value, derivative];
}

function fill(h: Float32Array, g: Float32Array, d: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = h[i];
    const z = Math.abs(x) * Math.SQRT1_2;
    const t = 1 / (1 + ERF_P * z);
    const e = Math.exp(-z * z);
    // 0.5 * erfc(|x| / sqrt 2) = the normal tail beyond |x|.
    const tail = 0.5 * (((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t) * e;
    const cdf = x >= 0 ? 1 - tail : tail;
    g[i] = x * cdf;
    d[i] = cdf + x * INV_SQRT_2PI * e;
  }
}
