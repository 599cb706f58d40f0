// Kernel fixes for the wasm backend (see TFJS-WASM.md), installed once after it starts. Each
// one is checked against the cpu backend in test/unit/moe/wasm-kernels.test.ts.
import * as tf from '@tensorflow/tfjs';
import { GELU_WITH_DERIVATIVE } from './gelu.ts';
import { GROUPED_MATMUL, GROUPED_OUTER } from './grouped-matmul.ts';
import { geluWithDerivativeWasm } from './wasm/gelu.ts';
import { gatherRows } from './wasm/gather-rows.ts';
import { groupedMatMulWasm, groupedOuterWasm } from './wasm/grouped-matmul.ts';
import { identityShared, sliceView, splitView, unpackView } from './wasm/slice-view.ts';
import { sumLeadingAxes } from './wasm/sum-leading.ts';
import { unsortedSegmentSum } from './wasm/unsorted-segment-sum.ts';
import { untransposeOperands } from './wasm/untransposed-matmul.ts';
import { replaceWasmKernel } from './wasm/wasm-backend-like.ts';

let registered = false;

export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  const existing = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  // Missing: the gradient of gather.
  if (!existing.has('UnsortedSegmentSum')) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  }
  // The MoE layer's grouped expert products (compute/grouped-matmul.ts; other backends compose them from standard ops).
  tf.registerKernel({ kernelName: GROUPED_MATMUL, backendName: 'wasm', kernelFunc: groupedMatMulWasm as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: GROUPED_OUTER, backendName: 'wasm', kernelFunc: groupedOuterWasm as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: GELU_WITH_DERIVATIVE, backendName: 'wasm', kernelFunc: geluWithDerivativeWasm as unknown as tf.KernelFunc });
  // Present but slow where training needs them.
  replaceWasmKernel('BatchMatMul', (original) => untransposeOperands(original, { swapWide: true }));
  replaceWasmKernel('_FusedMatMul', untransposeOperands);
  replaceWasmKernel('GatherV2', gatherRows);
  replaceWasmKernel('Slice', sliceView);
  replaceWasmKernel('SplitV', splitView);
  replaceWasmKernel('Unpack', unpackView);
  replaceWasmKernel('Identity', identityShared);
  replaceWasmKernel('Sum', sumLeadingAxes);
}
