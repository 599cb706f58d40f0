// The built-in samples through the whole engine with the default configs: register (prepare +
// load), train the four experts, assemble them, and check the product's quality checks: each
// expert learns its sample, and the assembly keeps >= 0.98 of every domain's own expert (rmse/mae:
// expert/assembly) and routes the domains of a modality no other domain shares to their own experts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, ExpertConfig } from '../../../shared/config.ts';
import { LOWER_IS_BETTER, MODALITY_OF, type DomainKind } from '../../../shared/domain.ts';
import { loadDataset } from '../../../electron/engine/datasets/load.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble, trainExpert, type AssemblyJob, type AssemblyResult, type ExpertResult } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from '../../unit/engine/setup-backend.ts';

const samples = resolve('resources/samples');
const inputs: [DomainKind, string][] = [
  ['syntax', join(samples, 'syntax/brown-upos.conllu')],
  ['semantics', join(samples, 'semantics/spam-ham.csv')],
  ['texture', join(samples, 'texture')],
  ['recommendation', join(samples, 'recommendation/ratings.csv')],
];

let root: string;
const experts: AssemblyJob['experts'] = [];
const results: Record<string, ExpertResult> = {};
const datasets: Record<string, AnyLoadedDataset> = {};
let assembly: AssemblyResult;

const retention = (metric: string, assembled: number, expert: number): number => (LOWER_IS_BETTER.has(metric) ? expert / assembled : assembled / expert);

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-samples-'));
  for (const [i, [kind, path]] of inputs.entries()) {
    const dir = join(root, kind);
    await mkdir(dir);
    const prepared = await prepareDataset(path, { kind, seed: 42 }, dir);
    if (!prepared.ok) throw new Error(`${kind} sample does not register: ${JSON.stringify(prepared.problems.slice(0, 3))}`);
    const ds = await loadDataset(dir, kind);
    datasets[kind] = ds;
    results[kind] = await trainExpert({ config: ExpertConfig.parse({ dataset: kind }), dataset: ds }, silentHooks, new AbortController().signal);
    const bundle = join(root, `${kind}-expert`);
    await results[kind].save(bundle);
    experts.push({ runId: i + 1, dir: bundle, dataset: ds });
  }
  assembly = await assemble({ config: AssemblyConfig.parse({ experts: [1, 2, 3, 4] }), experts }, silentHooks, new AbortController().signal);
  // Training time is a bench's business (train-throughput, the demo), not a test's: this only bounds a hang.
}, 900_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('built-in samples, default configs', () => {
  it('each expert learns its sample', () => {
    expect(results.syntax.metrics.test.accuracy).toBeGreaterThan(0.85); // 17 UPOS tags
    expect(results.semantics.metrics.test.accuracy).toBeGreaterThan(0.9); // spam vs ham
    // 4 textures, random colours, chance 0.25. The test split has 60 images (one is 1.7 points): with D = 64
    // this seed gives 0.883 and the head seed of another dataset name 0.917, so the bound leaves that spread.
    expect(results.texture.metrics.test.accuracy).toBeGreaterThanOrEqual(0.85);
    const ds = datasets.recommendation;
    const rec = ds.records as { rating: number }[];
    const train = rec.filter((_, i) => ds.split[i] === 0).map((r) => r.rating);
    const test = rec.filter((_, i) => ds.split[i] === 2).map((r) => r.rating);
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    const meanRmse = Math.sqrt(test.reduce((a, r) => a + (r - mean) ** 2, 0) / test.length);
    expect(results.recommendation.metrics.test.rmse).toBeLessThan(meanRmse);
  });

  it('the assembly keeps >= 0.98 of every domain\'s own expert on every test metric', () => {
    expect(Object.keys(assembly.metrics.test)).toEqual(['syntax', 'semantics', 'texture', 'recommendation']);
    for (const [domain, metrics] of Object.entries(assembly.metrics.test)) {
      for (const [metric, value] of Object.entries(metrics)) {
        expect(retention(metric, value, assembly.baselines.expert[domain][metric]), `${domain} ${metric}`).toBeGreaterThanOrEqual(0.98);
      }
    }
    expect(Object.keys(assembly.baselines.dense)).toEqual(['syntax', 'semantics', 'texture', 'recommendation']);
  });

  // Ratings: 0.8, measured 0.83. A rating head starts at zero (the expert starts as the baseline
  // biases, heads.ts), so at first the ratings loss does not care where its tokens go and the
  // load-balancing loss spreads some of them; with a random head it read >= 0.9.
  const purityBound: Record<string, number> = { texture: 0.9, recommendation: 0.8 };
  it('routes most tokens of each domain whose modality no other domain shares to its own expert', () => {
    const kinds = inputs.map(([kind]) => kind);
    const alone = kinds.filter((k) => kinds.filter((o) => MODALITY_OF[o] === MODALITY_OF[k]).length === 1);
    expect(alone).toEqual(['texture', 'recommendation']);
    for (const d of alone) expect(assembly.routing.purity[d], d).toBeGreaterThanOrEqual(purityBound[d]);
  });
});
