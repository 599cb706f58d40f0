// Hand-written wasm kernels (*.wat, assembled by scripts/build-wasm.ts) run on the tfjs wasm
// backend's own heap: each is instantiated once per heap with that heap's memory as its import,
// so it reads and writes tensors where they lie, by byte offset.
import type { WasmBackendLike } from './wasm-backend-like.ts';

// The part of the WebAssembly API used here (the node tsconfig has no DOM lib, which declares it).
interface WasmMemory { readonly buffer: ArrayBuffer }
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
};

/** The backend's emscripten module exports its heap's memory (tfjs-backend-wasm, non-threaded build). */
export type WithMemory = WasmBackendLike & { wasm: { asm: { memory: WasmMemory } } };

/** Export `name` of the base64 module `base64`, on the heap of whatever backend each call passes. */
export function heapKernel<F>(base64: string, name: string): (backend: WithMemory) => F {
  const compiled = new WebAssembly.Module(Buffer.from(base64, 'base64'));
  const instances = new WeakMap<WasmMemory, F>();
  return (backend) => {
    const memory = backend.wasm.asm.memory;
    let kernel = instances.get(memory);
    if (!kernel) {
      kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports[name] as F;
      instances.set(memory, kernel);
    }
    return kernel;
  };
}
