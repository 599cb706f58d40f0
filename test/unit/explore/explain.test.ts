// The routing explorer on a tiny assembly with a random, untrained router (so that examples are
// routed every which way): each counterfactual equals the prediction of a model whose MoE holds
// that one expert alone (through the public predict path, sparse dispatch included); the
// routed-away filter keeps exactly the examples whose majority top-1 expert (read from predict's
// per-token gate weights) is not their own; the regret counts exactly the fixable errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, ExpertConfig } from '../../../shared/config.ts';
import type { Explanation } from '../../../shared/explore.ts';
import { disposeBundle, explain, loadBundle, type Bundle } from '../../../electron/engine/bundle/index.ts';
import { predictWithModel } from '../../../electron/engine/bundle/predict.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { explainSplit, isCorrect } from '../../../electron/engine/evaluation/explain.ts';
import type { MultiTaskModel } from '../../../electron/engine/model/multitask-model.ts';
import { prepareDomain } from '../../../electron/engine/data/domain-data.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble, trainExpert, type AssemblyJob } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from '../engine/setup-backend.ts';
import { recommendationDataset, semanticsDataset, textureDataset } from '../engine/synthetic.ts';

const shape = { dim: 16, hidden: 32, text_buckets: 512, id_buckets: 128 };
let root: string;
let bundle: Bundle;
const sets: AnyLoadedDataset[] = [semanticsDataset(300), textureDataset(150), recommendationDataset(400)];

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-explain-'));
  const experts: AssemblyJob['experts'] = [];
  for (const [i, ds] of sets.entries()) {
    const r = await trainExpert({ config: ExpertConfig.parse({ dataset: ds.name, epochs: 2, model: shape }), dataset: ds }, silentHooks, new AbortController().signal);
    const dir = join(root, ds.name);
    await r.save(dir);
    experts.push({ runId: i + 1, dir, dataset: ds });
  }
  const config = AssemblyConfig.parse({ experts: [1, 2, 3], top_k: 2, router_init: 'random', epochs: 0, capacity_factor: 1 });
  const result = await assemble({ config, experts }, silentHooks, new AbortController().signal);
  await result.save(join(root, 'assembly'));
  bundle = await loadBundle(join(root, 'assembly'));
}, 120_000);

afterAll(async () => {
  disposeBundle(bundle);
  await rm(root, { recursive: true, force: true });
});

/** The assembly with one expert left: an MoE over [expert], router column e (softmax of one = 1). */
function oneExpertMoe(model: MultiTaskModel, e: number): MultiTaskModel {
  if (model.mixer.kind !== 'moe') throw new Error('not an MoE');
  const router = tf.variable(tf.slice(model.mixer.router, [0, e], [-1, 1]));
  return { ...model, mixer: { kind: 'moe', router, experts: [model.mixer.experts[e]], settings: { ...model.mixer.settings, topK: 1 } } };
}

function inputOf(kind: string, input: string) {
  if (kind === 'texture') return { pixels: new Uint8Array(Buffer.from(input, 'base64')) };
  if (kind === 'recommendation') {
    const [user, item] = input.split(',');
    return { user, item };
  }
  return { text: input };
}

function explained(task: number, filter: Explanation['filter'] = null): Explanation {
  const ds = sets[task];
  const data = prepareDomain(ds, bundle.model.tasks[task], bundle.model.shape);
  return explainSplit(bundle.model, task, data, ds, { split: 'test', filter, limit: 10_000, capacityFactor: 1, run: null });
}

describe('explain', () => {
  it('counterfactual of each expert = the prediction of the MoE holding that expert alone', () => {
    const names = bundle.model.expertNames;
    const alone = names.map((_, e) => oneExpertMoe(bundle.model, e));
    let compared = 0;
    for (const [task, ds] of sets.entries()) {
      const ex = explained(task);
      expect(ex.examples.length).toBe(ex.counts.examples);
      expect(ex.examples.length).toBeGreaterThan(10);
      for (const example of ex.examples) {
        for (const [e, name] of names.entries()) {
          const reference = predictWithModel(alone[e], ds.name, inputOf(ds.kind, example.input)).prediction;
          const got = example.counterfactual[name];
          if (typeof reference === 'number') expect(got).toBeCloseTo(reference, 4);
          else expect(got).toEqual(reference);
          compared++;
        }
        // The router's own prediction, through predict, too.
        const routed = predictWithModel(bundle.model, ds.name, inputOf(ds.kind, example.input)).prediction;
        if (typeof routed === 'number') expect(example.prediction).toBeCloseTo(routed, 4);
        else expect(example.prediction).toEqual(routed);
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The counterfactuals differ between experts somewhere (else the check above proves little).
    const sem = explained(0);
    expect(sem.examples.some((x) => x.counterfactual.sem !== x.counterfactual.tex)).toBe(true);
    for (const m of alone) if (m.mixer.kind === 'moe') m.mixer.router.dispose();
  });

  it('routed-away keeps exactly the examples whose majority top-1 expert is not their own', () => {
    let away = 0;
    let home = 0;
    for (const [task, ds] of sets.entries()) {
      const all = explained(task);
      const expected = all.examples
        .filter((x) => {
          const votes = new Array<number>(bundle.model.expertNames.length).fill(0);
          for (const t of predictWithModel(bundle.model, ds.name, inputOf(ds.kind, x.input)).routing.perToken ?? []) {
            let best = 0;
            t.weights.forEach((w, i) => {
              if (w > t.weights[best]) best = i;
            });
            votes[best]++;
          }
          let top = 0;
          votes.forEach((v, i) => {
            if (v > votes[top]) top = i;
          });
          return bundle.model.expertNames[top] !== ds.name;
        })
        .map((x) => x.index);
      const filtered = explained(task, 'routed-away');
      expect(filtered.examples.map((x) => x.index)).toEqual(expected);
      expect(filtered.counts.matching).toBe(expected.length);
      away += expected.length;
      home += all.examples.length - expected.length;
    }
    // A random router sends some examples away and keeps some home.
    expect(away).toBeGreaterThan(0);
    expect(home).toBeGreaterThan(0);
  });

  it('regret = errors some single expert fixes / examples; misclassified keeps exactly the errors', () => {
    for (const [task, ds] of sets.entries()) {
      const all = explained(task);
      const spec = bundle.model.tasks[task];
      const wrong = all.examples.filter((x) => !isCorrect(spec, x.prediction, x.label!));
      const fixable = wrong.filter((x) => bundle.model.expertNames.some((n) => isCorrect(spec, x.counterfactual[n], x.label!)));
      expect(all.counts.errors).toBe(wrong.length);
      expect(all.regret).toBeCloseTo(fixable.length / all.examples.length, 12);
      expect(explained(task, 'misclassified').examples.map((x) => x.index)).toEqual(wrong.map((x) => x.index));
      if (ds.kind === 'semantics') expect(wrong.length).toBeGreaterThan(0);
    }
  });

  it('the standalone runtime explains a typed input with the gate weights predict reports', () => {
    const ex = explain(bundle, 'sem', { text: 'the team scored a goal today' });
    const p = predictWithModel(bundle.model, 'sem', { text: 'the team scored a goal today' });
    expect(ex.examples).toHaveLength(1);
    const [x] = ex.examples;
    expect(x.prediction).toBe(p.prediction);
    expect(x.units.map((u) => u.unit)).toEqual(p.routing.perToken!.map((t) => t.token));
    x.units.forEach((u, t) => {
      for (const { expert, weight } of u.experts) expect(weight).toBeCloseTo(p.routing.perToken![t].weights[bundle.model.expertNames.indexOf(expert)], 6);
    });
    expect(Object.keys(x.counterfactual)).toEqual(bundle.model.expertNames);
    expect(x.correct).toBeNull();
  });
});
