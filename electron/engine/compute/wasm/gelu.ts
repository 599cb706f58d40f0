// geluWithDerivative (compute/gelu.ts) on wasm: a hand-written SIMD kernel (gelu.wat) running on
// the backend's own heap, two numbers per instruction in double precision. It gives every number
// exactly as the formula in double precision with Math.exp rounded to float32 (tested bit for
// bit), about three times faster than that loop in JavaScript: the dense baseline spends a
// quarter of its training in GELU.
import type * as tf from '@tensorflow/tfjs';
import { GELU_WASM } from './gelu-wasm.ts';
import { sizeOf, type KernelArgs, type WasmBackendLike } from './wasm-backend-like.ts';

// The part of the WebAssembly API used here (the node tsconfig has no DOM lib, which declares it).
interface WasmMemory { readonly buffer: ArrayBuffer }
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
};

type GeluExport = (x: number, g: number, d: number, n: number) => void;
/** The backend's emscripten module exports its heap's memory. */
type WithMemory = WasmBackendLike & { wasm: { asm: { memory: WasmMemory } } };

const compiled = new WebAssembly.Module(Buffer.from(GELU_WASM, 'base64'));
/** The kernel instantiated on each backend heap it has run on. */
const instances = new WeakMap<WasmMemory, GeluExport>();

/** The kernel on this heap: gelu(xOffset, gOffset, dOffset, n), offsets in bytes. */
export function geluOnHeap(memory: WasmMemory): GeluExport {
  let gelu = instances.get(memory);
  if (!gelu) {
    gelu = new WebAssembly.Instance(compiled, { env: { memory } }).exports.gelu as GeluExport;
    instances.set(memory, gelu);
  }
  return gelu;
}

export function geluWithDerivativeWasm(args: KernelArgs): tf.TensorInfo[] {
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') throw new Error(`geluWithDerivative wants float32, got ${x.dtype}`);
  const backend = args.backend as unknown as WithMemory;
  const value = backend.makeOutput([...x.shape], 'float32');
  const derivative = backend.makeOutput([...x.shape], 'float32');
  const at = (t: tf.TensorInfo): number => backend.typedArrayFromHeap(t).byteOffset;
  geluOnHeap(backend.wasm.asm.memory)(at(x), at(value), at(derivative), sizeOf(x.shape));
  return [value, derivative];
}
