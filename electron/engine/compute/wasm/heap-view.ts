// Float32 views on a tensor's numbers inside the wasm heap, so that an optimizer step reads a
// gradient and updates a variable without copying them out and back (dataSync copies the whole
// tensor; for a 65,536 x 64 embedding table that is 16 MB per read, and assign uploads as much).
// Every other backend answers null and the caller copies as before.
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm-backend-like.ts';

type RefCounting = WasmBackendLike & { refCount(dataId: tf.DataId): number };

function wasmFloats(t: tf.Tensor): { backend: RefCounting; view: Float32Array } | null {
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as RefCounting;
  return { backend, view: backend.typedArrayFromHeap(t) as Float32Array };
}

/** Read-only view, valid until the next tensor allocation; null off wasm. */
export function heapFloats(t: tf.Tensor): Float32Array | null {
  return wasmFloats(t)?.view ?? null;
}

/**
 * Writable view of a variable's numbers, valid until the next tensor allocation; null off wasm
 * or when another tensor shares the variable's data (a write would change that tensor too).
 */
export function ownedHeapFloats(v: tf.Variable): Float32Array | null {
  const w = wasmFloats(v);
  return w !== null && w.backend.refCount(v.dataId) === 1 ? w.view : null;
}
