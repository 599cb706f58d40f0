// The grouped matrix products of compute/grouped-matmul.ts on wasm: one kernel call for all
// groups. The wasm backend's own batched matMul takes its XNNPACK path only for one
// untransposed batch; anything else (a [G, C, K] batch, a transposed operand) goes to a naive
// loop about 20x slower. So this kernel calls the backend's exported _FusedMatMul once per group
// on views of the operands (heap offsets registered as temporary tensor ids), untransposed,
// where XNNPACK runs it, with the group's bias fused. Transposes go through the exported
// Transpose. Per group that is a couple of calls into wasm, not a chain of tfjs kernels.
import type * as tf from '@tensorflow/tfjs';
import type { GroupedMatMulAttrs } from '../grouped-matmul.ts';
import type { KernelArgs } from './wasm-backend-like.ts';

type WasmFn = (...args: unknown[]) => void;

/** The parts of the wasm backend's emscripten module and bookkeeping used here. */
interface WasmInternals {
  wasm: {
    cwrap(name: string, returnType: null, argTypes: string[]): WasmFn;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    HEAPF32: Float32Array;
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
  dataIdMap: { get(dataId: tf.DataId): { id: number; memoryOffset: number } };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

interface Exports {
  fusedMatMul: WasmFn;
  transpose: WasmFn;
}

const exportsOf = new WeakMap<object, Exports>();

function wasmExports(backend: WasmInternals): Exports {
  let found = exportsOf.get(backend.wasm);
  if (found === undefined) {
    const n = 'number';
    const arr = 'array';
    found = {
      // (a, aShape, aRank, b, bShape, bRank, transposeA, transposeB, activation, bias, preluWeights, leakyAlpha, out)
      fusedMatMul: backend.wasm.cwrap('_FusedMatMul', null, [n, arr, n, n, arr, n, n, n, n, n, n, n, n]),
      // (x, xShape, rank, dtype, out, perm, permLength)
      transpose: backend.wasm.cwrap('Transpose', null, [n, arr, n, n, n, arr, n]),
    };
    exportsOf.set(backend.wasm, found);
  }
  return found;
}

const FLOAT32 = 0; // CppDType.float32
const LINEAR = 0; // FusableActivation.linear

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** Temporary tensor ids on ranges of the heap; each must be released (it also frees XNNPACK's operator cached on it). */
class Views {
  private readonly ids: number[] = [];
  private readonly backend: WasmInternals;
  constructor(backend: WasmInternals) {
    this.backend = backend;
  }

  /** An id for `size` floats at byte offset `offset`. */
  at(offset: number, size: number): number {
    const id = this.backend.dataIdNextNumber++;
    this.backend.wasm.tfjs.registerTensor(id, size, offset);
    this.ids.push(id);
    return id;
  }

  release(): void {
    for (const id of this.ids) this.backend.wasm.tfjs.disposeData(id);
    this.ids.length = 0;
  }
}

function floats(t: tf.TensorInfo): void {
  if (t.dtype !== 'float32') throw new Error(`grouped matmul on wasm wants float32, got ${t.dtype}`);
}

/** out[rows of g] = a[rows of g] · b[g] (+ bias[g]); see groupedMatMul. */
export function groupedMatMulWasm(args: KernelArgs): tf.TensorInfo {
  const { a, b, bias } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
  const { groupSizes, transposeB } = args.attrs as unknown as GroupedMatMulAttrs;
  const backend = args.backend as unknown as WasmInternals;
  [a, b, ...(bias ? [bias] : [])].forEach(floats);
  const fn = wasmExports(backend);
  const [rows, k] = a.shape;
  const groups = b.shape[0];
  const m = transposeB ? b.shape[1] : b.shape[2];
  const out = backend.makeOutput([rows, m], 'float32');
  const views = new Views(backend);
  // b^T once for all groups: XNNPACK wants each group's matrix as [K, M].
  let weightsOffset = backend.dataIdMap.get(b.dataId).memoryOffset;
  let transposed = 0;
  try {
    if (transposeB) {
      transposed = backend.wasm._malloc(groups * k * m * 4);
      const src = views.at(weightsOffset, groups * k * m);
      const dst = views.at(transposed, groups * k * m);
      fn.transpose(src, shapeBytes([groups, m, k]), 3, FLOAT32, dst, shapeBytes([0, 2, 1]), 3);
      weightsOffset = transposed;
    }
    const aOffset = backend.dataIdMap.get(a.dataId).memoryOffset;
    const outOffset = backend.dataIdMap.get(out.dataId).memoryOffset;
    const biasOffset = bias ? backend.dataIdMap.get(bias.dataId).memoryOffset : 0;
    let start = 0;
    for (let g = 0; g < groups; g++) {
      const r = groupSizes[g];
      if (r === 0) continue;
      const aId = views.at(aOffset + start * k * 4, r * k);
      const bId = views.at(weightsOffset + g * k * m * 4, k * m);
      const biasId = bias ? views.at(biasOffset + g * m * 4, m) : 0;
      const outId = views.at(outOffset + start * m * 4, r * m);
      fn.fusedMatMul(aId, shapeBytes([1, r, k]), 3, bId, shapeBytes([1, k, m]), 3, 0, 0, LINEAR, biasId, 0, 0, outId);
      start += r;
      // Releasing b's view frees the XNNPACK operator (and its packed weights) cached on it.
      views.release();
    }
  } finally {
    views.release();
    if (transposed !== 0) backend.wasm._free(transposed);
  }
  return out;
}

/** out[g] = a_g^T · d_g, zeros for an empty group; see groupedOuter. */
export function groupedOuterWasm(args: KernelArgs): tf.TensorInfo {
  const { a, d } = args.inputs as unknown as { a: tf.TensorInfo; d: tf.TensorInfo };
  const { groupSizes } = args.attrs as unknown as { groupSizes: number[] };
  const backend = args.backend as unknown as WasmInternals;
  floats(a);
  floats(d);
  const fn = wasmExports(backend);
  const [, k] = a.shape;
  const m = d.shape[1];
  const groups = groupSizes.length;
  const out = backend.makeOutput([groups, k, m], 'float32');
  const largest = Math.max(0, ...groupSizes);
  // Transpose the narrower operand of each group: a_g^T · d_g directly when K <= M, else
  // (d_g^T · a_g)^T, so the big operand is only read, never transposed.
  const direct = k <= m;
  const scratch = largest === 0 ? 0 : backend.wasm._malloc(largest * Math.min(k, m) * 4);
  const scratchOut = direct || largest === 0 ? 0 : backend.wasm._malloc(k * m * 4);
  const views = new Views(backend);
  try {
    const aOffset = backend.dataIdMap.get(a.dataId).memoryOffset;
    const dOffset = backend.dataIdMap.get(d.dataId).memoryOffset;
    const outOffset = backend.dataIdMap.get(out.dataId).memoryOffset;
    let start = 0;
    for (let g = 0; g < groups; g++) {
      const r = groupSizes[g];
      const outAt = outOffset + g * k * m * 4;
      if (r === 0) {
        // Heap view taken now: an allocation above may have grown (and detached) the heap.
        backend.wasm.HEAPF32.fill(0, outAt / 4, outAt / 4 + k * m);
        continue;
      }
      const [narrow, narrowWidth, wide, wideWidth] = direct ? [aOffset, k, dOffset, m] : [dOffset, m, aOffset, k];
      const narrowId = views.at(narrow + start * narrowWidth * 4, r * narrowWidth);
      const narrowT = views.at(scratch, r * narrowWidth);
      fn.transpose(narrowId, shapeBytes([r, narrowWidth]), 2, FLOAT32, narrowT, shapeBytes([1, 0]), 2);
      const wideId = views.at(wide + start * wideWidth * 4, r * wideWidth);
      if (direct) {
        const outId = views.at(outAt, k * m);
        fn.fusedMatMul(narrowT, shapeBytes([1, k, r]), 3, wideId, shapeBytes([1, r, m]), 3, 0, 0, LINEAR, 0, 0, 0, outId);
      } else {
        const productId = views.at(scratchOut, m * k);
        fn.fusedMatMul(narrowT, shapeBytes([1, m, r]), 3, wideId, shapeBytes([1, r, k]), 3, 0, 0, LINEAR, 0, 0, 0, productId);
        const outId = views.at(outAt, k * m);
        fn.transpose(productId, shapeBytes([m, k]), 2, FLOAT32, outId, shapeBytes([1, 0]), 2);
      }
      start += r;
      views.release();
    }
  } finally {
    views.release();
    if (scratch !== 0) backend.wasm._free(scratch);
    if (scratchOut !== 0) backend.wasm._free(scratchOut);
  }
  return out;
}
