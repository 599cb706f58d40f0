// train-throughput: samples/s of expert training per domain kind, and the effective GFLOP/s of
// that training (matmul FLOPs counted from the kernels one epoch runs) divided by the backend's
// own matmul GFLOP/s measured in the same run (issue 13: goal >= 0.3 for every kind).
import * as tf from '@tensorflow/tfjs';
import { ExpertConfig } from '../shared/config.ts';
import { DOMAIN_KINDS } from '../shared/domain.ts';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { trainExpert } from '../electron/engine/training/jobs.ts';
import { median, registerBench } from './registry.ts';
import { loadSample, silentHooks } from './lib/samples.ts';

const MATMUL_KERNELS = new Set(['MatMul', 'BatchMatMul', '_FusedMatMul']);

/** FLOPs of the matmuls in a profile: 2*M*N*K each, from the output shape and the inner size. */
function matmulFlops(kernels: { name: string; inputShapes: number[][]; outputShapes: number[][] }[]): number {
  let flops = 0;
  for (const k of kernels) {
    if (!MATMUL_KERNELS.has(k.name)) continue;
    const out = k.outputShapes[0];
    const a = k.inputShapes[0];
    const b = k.inputShapes[1];
    const inner = Math.min(...[a[a.length - 1], a[a.length - 2]].filter((d) => b.includes(d)));
    flops += 2 * out.reduce((x, y) => x * y, 1) * inner;
  }
  return flops;
}

/** The backend's own matmul speed: 512x512 by 512x512, median of several. */
function backendMatmulGflops(): number {
  const a = tf.randomNormal([512, 512], 0, 1, 'float32', 1);
  const b = tf.randomNormal([512, 512], 0, 1, 'float32', 2);
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t = performance.now();
    // Not inside tidy: tidy walks a returned typed array element by element (100+ ms at this size).
    const product = tf.matMul(a, b);
    product.dataSync();
    product.dispose();
    times.push(performance.now() - t);
  }
  tf.dispose([a, b]);
  return (2 * 512 ** 3) / (median(times.slice(2)) / 1000) / 1e9;
}

registerBench({
  name: 'train-throughput',
  description: 'expert training samples/s per kind; training GFLOP/s relative to the backend matmul GFLOP/s',
  async run(emit) {
    const { backend } = await initBackend();
    const peak = backendMatmulGflops();
    for (const kind of DOMAIN_KINDS) {
      const dataset = await loadSample(kind);
      const config = ExpertConfig.parse({ dataset: dataset.name, epochs: 1, patience: 1 });
      const signal = new AbortController().signal;
      // One epoch under the profiler counts the FLOPs; the timed epochs run without it.
      const profile = await tf.profile(async () => void (await trainExpert({ config, dataset }, silentHooks, signal)));
      const flopsPerEpoch = matmulFlops(profile.kernels as never);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await trainExpert({ config, dataset }, silentHooks, signal);
        times.push((performance.now() - t) / 1000);
      }
      const seconds = median(times);
      const trainSamples = dataset.split.filter((s) => s === 0).length;
      const gflops = flopsPerEpoch / seconds / 1e9;
      emit({
        bench: 'train-throughput', backend, kind, train_samples: trainSamples, epoch_seconds: Number(seconds.toFixed(3)),
        samples_per_s: Math.round(trainSamples / seconds), train_gflops: Number(gflops.toFixed(2)), backend_matmul_gflops: Number(peak.toFixed(2)),
        ratio_vs_matmul: Number((gflops / peak).toFixed(3)), goal_ratio: 0.3,
      });
    }
  },
});
