// predict-latency: single-sample prediction from a saved assembly folder (what an export holds),
// p50 and p95 per task (goal p50 < 5 ms).
import { DOMAIN_KINDS, IMAGE_SIZE } from '../shared/domain.ts';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { disposeBundle, loadBundle, predict, type PredictInput } from '../electron/engine/bundle/index.ts';
import { trainedAssemblyDir } from './lib/assembly-fixture.ts';
import { registerBench } from './registry.ts';

const inputs: Record<string, PredictInput> = {
  'brown-upos': { text: 'The jury said the election was conducted fairly' },
  'spam-ham': { text: 'Win a free prize now, click here to claim your money' },
  textures: { pixels: new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * 3).map((_, i) => (i * 37) % 256) },
  ratings: { user: 'u17', item: 'i42' },
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

registerBench({
  name: 'predict-latency',
  description: 'single-sample predict from a saved assembly of all four kinds: p50/p95 per task',
  async run(emit) {
    const { backend } = await initBackend();
    const bundle = await loadBundle(await trainedAssemblyDir([...DOMAIN_KINDS]));
    try {
      for (const [task, input] of Object.entries(inputs)) {
        for (let i = 0; i < 20; i++) predict(bundle, task, input);
        const times: number[] = [];
        for (let i = 0; i < 300; i++) {
          const t = performance.now();
          predict(bundle, task, input);
          times.push(performance.now() - t);
        }
        times.sort((x, y) => x - y);
        emit({ bench: 'predict-latency', backend, task, p50_ms: Number(quantile(times, 0.5).toFixed(3)), p95_ms: Number(quantile(times, 0.95).toFixed(3)), goal_p50_ms: 5 });
      }
    } finally {
      disposeBundle(bundle);
    }
  },
});
