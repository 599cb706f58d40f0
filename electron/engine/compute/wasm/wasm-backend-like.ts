// The parts of the wasm backend that the TypeScript kernels here use (its class is not
// exported), and the helper that swaps a registered kernel for a faster wrapper.
import * as tf from '@tensorflow/tfjs';

export interface WasmBackendLike {
  /** A view on the tensor's bytes in the wasm heap: valid until the next allocation. */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Allocates an output tensor in the heap (may grow the heap and detach older views). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
  /** One more owner of the data: disposeData frees it when the last one lets go. */
  incRef(dataId: tf.DataId): void;
}

export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Replaces the wasm kernel `kernelName` by `wrap(original)`, keeping its setup and dispose hooks. */
export function replaceWasmKernel(kernelName: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (original === undefined) return;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ kernelName, backendName: 'wasm', setupFunc: original.setupFunc, disposeFunc: original.disposeFunc, kernelFunc: wrap(original.kernelFunc) });
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
