// Test helper: run a suite on a named tfjs backend. wasm comes up through the app's own
// initBackend path when it is the pick, so its kernel fixes are the ones under test.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../electron/engine/compute/backend.ts';
import { registerWasmKernels } from '../../../electron/engine/compute/wasm-kernels.ts';

export type TestBackend = 'wasm' | 'cpu';
export const TEST_BACKENDS: TestBackend[] = ['wasm', 'cpu'];

export async function useBackend(name: TestBackend): Promise<void> {
  await initBackend();
  if (name === 'wasm') {
    // Where tfjs-node is installed initBackend picks it; wasm is still wanted here.
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
  await tf.ready();
}

/** Largest |a - b| / (atol + rtol * |b|) over two arrays: <= 1 means within tolerance. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  return worst;
}
