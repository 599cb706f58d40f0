// Picks the compute backend once per process (or worker): native TensorFlow when
// @tensorflow/tfjs-node loads, else WebAssembly, else the plain CPU backend.
// MOE_WORKBENCH_BACKEND=tensorflow|wasm|cpu forces one and fails clearly if it is unavailable.
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, type BackendName } from '../../../shared/domain.ts';
import { registerWasmKernels } from './wasm-kernels.ts';

export interface BackendChoice {
  backend: BackendName;
  /** Why the native backend is not in use (null when it is). */
  nativeHint: string | null;
}

let chosen: Promise<BackendChoice> | null = null;

export function initBackend(): Promise<BackendChoice> {
  chosen ??= pickBackend(process.env.MOE_WORKBENCH_BACKEND);
  return chosen;
}

async function tryNative(): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers from resolving this optional native module.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return null;
  } catch (error) {
    return `@tensorflow/tfjs-node is not installed or its native library could not load (${(error as Error).message.split('\n')[0]}); reinstall with internet access for the faster native backend.`;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend('wasm');
    if (ok) registerWasmKernels();
    return ok;
  } catch {
    return false;
  }
}

async function pickBackend(forced: string | undefined): Promise<BackendChoice> {
  if (forced !== undefined && forced !== '' && !(BACKENDS as readonly string[]).includes(forced)) {
    throw new Error(`MOE_WORKBENCH_BACKEND=${forced} is not a backend; use one of ${BACKENDS.join(', ')}`);
  }
  const want = forced as BackendName | undefined;
  let nativeHint: string | null = 'native backend not requested';
  if (!want || want === 'tensorflow') {
    nativeHint = await tryNative();
    if (nativeHint === null && (await tf.setBackend('tensorflow'))) return done('tensorflow', null);
    if (want === 'tensorflow') throw new Error(`MOE_WORKBENCH_BACKEND=tensorflow but ${nativeHint ?? 'the tensorflow backend failed to start'}`);
  }
  if (!want || want === 'wasm') {
    if (await tryWasm()) return done('wasm', nativeHint);
    if (want === 'wasm') throw new Error('MOE_WORKBENCH_BACKEND=wasm but @tensorflow/tfjs-backend-wasm failed to start');
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('no TensorFlow.js backend could start (tried tensorflow, wasm, cpu)');
  return done('cpu', nativeHint);
}

async function done(backend: BackendName, nativeHint: string | null): Promise<BackendChoice> {
  await tf.ready();
  return { backend, nativeHint };
}

export function tfjsVersion(): string {
  return tf.version.tfjs;
}
