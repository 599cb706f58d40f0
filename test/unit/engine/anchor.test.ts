// Anchor encoders (issue 10): the anchor trains as a dense multi-task model over its domains; an
// expert trained against it leaves the anchor's encoder exactly as it was (frozen) while its own
// FFN and head learn; two experts of one anchor hold the same encoder bytes; bad anchors are
// refused with a precise message.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorConfig, ExpertConfig } from '../../../shared/config.ts';
import { readSnapshot } from '../../../electron/engine/bundle/load.ts';
import type { WeightEntry } from '../../../electron/engine/bundle/weights-file.ts';
import { anchorShapes } from '../../../electron/engine/model/anchor-model.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { disposeModel } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { expertFfn } from '../../../electron/engine/model/expert.ts';
import { anchoredShape, loadAnchorFfn, readAnchorEncoder } from '../../../electron/engine/training/anchored-branch.ts';
import { trainableVariables } from '../../../electron/engine/training/branch-trainer.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { trainAnchor, trainExpert, type AnchorResult, type ExpertResult } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset, textureDataset } from './synthetic.ts';

const small = { dim: 16, hidden: 32, text_buckets: 512 };
const syn = syntaxDataset(160);
const sem = semanticsDataset(240);
let root: string;
let anchor: AnchorResult;
const experts: Record<string, ExpertResult> = {};
let tensorsBefore = 0;

const encoderWeights = (weights: Map<string, WeightEntry>, component: string): [string, number[]][] =>
  [...weights].filter(([n]) => n.startsWith(`${component}/`)).map(([n, w]) => [n.slice(component.length + 1), Array.from(w.data)]);

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-anchor-'));
  tensorsBefore = tf.memory().numTensors;
  const signal = new AbortController().signal;
  anchor = await trainAnchor({ config: AnchorConfig.parse({ datasets: [syn.name, sem.name], epochs: 3, model: small }), datasets: [syn, sem] }, silentHooks, signal);
  await anchor.save(join(root, 'anchor'));
  for (const ds of [syn, sem]) {
    // A seed of their own: with the anchor's seed, an expert's new head would start where the
    // anchor's head started, already fitted to the anchor's FFN, and these easy sets leave nothing to learn.
    experts[ds.name] = await trainExpert({ config: ExpertConfig.parse({ dataset: ds.name, epochs: 4, model: small, anchor: 7, seed: 5 }), dataset: ds, anchorDir: join(root, 'anchor') }, silentHooks, signal);
    await experts[ds.name].save(join(root, ds.name));
  }
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('anchor model', () => {
  it('is one text encoder, one dense FFN and a head per domain, and learns both domains', async () => {
    expect(anchor.modality).toBe('text');
    expect(anchor.config.model.text_buckets).toBe(512);
    const snap = await readSnapshot(join(root, 'anchor'));
    expect(snap.manifest.kind).toBe('anchor');
    expect(snap.manifest.encoders.map((e) => [e.key, e.sources])).toEqual([['text', [syn.name, sem.name]]]);
    expect(snap.manifest.components.map((c) => c.name)).toEqual(['encoder/text', 'dense', 'head/0', 'head/1']);
    // 5 tags and 2 classes: chance is about 0.2 and 0.5.
    expect(anchor.metrics.test[syn.name].accuracy).toBeGreaterThan(0.6);
    expect(anchor.metrics.test[sem.name].accuracy).toBeGreaterThan(0.7);
  });

  it('leaves no tensor behind', () => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('experts against a frozen anchor', () => {
  it('keep the anchor encoder byte for byte while their FFN and head learn', async () => {
    const a = await readSnapshot(join(root, 'anchor'));
    const anchorEncoder = encoderWeights(a.weights, 'encoder/text');
    expect(anchorEncoder.map(([n]) => n).sort()).toEqual(['context_b', 'context_w', 'embedding', 'out_beta', 'out_gamma']);
    for (const name of [syn.name, sem.name]) {
      const e = await readSnapshot(join(root, name));
      expect(e.manifest.anchor).toBe(7);
      expect(encoderWeights(e.weights, 'encoder/text')).toEqual(anchorEncoder);
      expect(experts[name].config.anchor).toBe(7);
      expect(experts[name].epochsRun).toBeGreaterThan(0);
    }
    // Both experts learned on top of the frozen tokens.
    expect(experts[syn.name].metrics.test.accuracy).toBeGreaterThan(0.6);
    expect(experts[sem.name].metrics.test.accuracy).toBeGreaterThan(0.7);
    // Both started from the anchor's dense FFN and moved away from it, each its own way.
    const s = await readSnapshot(join(root, syn.name));
    const m = await readSnapshot(join(root, sem.name));
    const w1 = (snap: typeof a, name: string): number[] => Array.from(snap.weights.get(name)!.data);
    expect(w1(s, 'expert/0/w1')).not.toEqual(w1(a, 'dense/w1'));
    expect(w1(m, 'expert/0/w1')).not.toEqual(w1(a, 'dense/w1'));
    expect(w1(s, 'expert/0/w1')).not.toEqual(w1(m, 'expert/0/w1'));
  });

  it('take the anchor encoder sizes over their own', () => {
    // The semantics expert alone would derive its own buckets and bigrams; the buckets are the anchor's.
    expect(experts[sem.name].config.model.text_buckets).toBe(anchor.config.model.text_buckets);
    expect(experts[sem.name].config.model.context).toBe(anchor.config.model.context);
    expect(experts[sem.name].config.model.word_bigrams).toBe(true);
    expect(experts[syn.name].config.model.word_bigrams).toBe(false);
  });

  it('train every variable but the encoder', () => {
    const shape = { dim: 8, hidden: 16, text_buckets: 64, id_buckets: 16, ids: 'exact' as const, patch: 4, max_tokens: 16, context: 1, word_bigrams: false };
    const model = createBranchModel(taskSpecOf(syn, shape), shape, 1);
    try {
      const all = trainableVariables(model, false);
      const frozen = trainableVariables(model, true);
      const encoder = new Set(Object.values(model.encoders.text.params));
      expect(all.length).toBe(frozen.length + encoder.size);
      expect(frozen.some((v) => encoder.has(v))).toBe(false);
    } finally {
      disposeModel(model);
    }
  });

  it('start from the anchor\'s dense FFN: copied at its width, the same function when wider, its first units when narrower', async () => {
    const a = await readAnchorEncoder(join(root, 'anchor'), 7, 'syntax');
    const dense = (name: string): number[] => Array.from(a.ffn.get(name)!.data);
    expect([...a.ffn.keys()].sort()).toEqual(['b1', 'b2', 'beta', 'gamma', 'w1', 'w2']);
    const x = tf.randomNormal([9, small.dim], 0, 1, 'float32', 3) as tf.Tensor2D;
    const reference = createBranchModel(taskSpecOf(syn, experts[syn.name].config.model), experts[syn.name].config.model, 1);
    const models = [];
    try {
      loadAnchorFfn(reference, a);
      if (reference.mixer.kind !== 'single') throw new Error('unreachable');
      const ref = reference.mixer.expert;
      for (const name of ['gamma', 'beta', 'w1', 'b1', 'w2', 'b2'] as const) expect(Array.from(ref[name].dataSync()), name).toEqual(dense(name));
      const anchorOut = expertFfn(ref, x);
      for (const hidden of [small.hidden + 16, small.hidden - 12]) {
        const shape = { ...experts[syn.name].config.model, hidden };
        const m = createBranchModel(taskSpecOf(syn, shape), shape, 1);
        models.push(m);
        loadAnchorFfn(m, a);
        if (m.mixer.kind !== 'single') throw new Error('unreachable');
        const e = m.mixer.expert;
        const firstUnits = (w: tf.Variable, cols: number, keep: number): number[] => Array.from(w.dataSync()).filter((_, i) => i % cols < keep);
        expect(firstUnits(e.w1, hidden, Math.min(hidden, small.hidden))).toEqual(firstUnits(ref.w1, small.hidden, Math.min(hidden, small.hidden)));
        if (hidden > small.hidden) {
          // The extra units' output weights are zero: the wider expert computes the anchor's FFN.
          expect(Array.from(e.w2.dataSync()).slice(small.hidden * small.dim).every((v) => v === 0)).toBe(true);
          const out = expertFfn(e, x);
          expect(Math.max(...Array.from(tf.sub(out, anchorOut).abs().dataSync()))).toBeLessThan(1e-5);
          out.dispose();
        } else expect(Array.from(e.w2.dataSync())).toEqual(dense('w2').slice(0, hidden * small.dim));
      }
      anchorOut.dispose();
    } finally {
      x.dispose();
      disposeModel(reference);
      models.forEach(disposeModel);
    }
    // Without a width of its own, an anchored expert takes the anchor's (so its FFN is the anchor's whole).
    const own = { ...experts[syn.name].config.model, hidden: 999 };
    expect(anchoredShape(own, a, syn.name, 'text', false).hidden).toBe(anchor.config.model.hidden);
    expect(anchoredShape(own, a, syn.name, 'text', true).hidden).toBe(999);
  });

  it('refuse an anchor of another modality, and a job without the anchor bundle', async () => {
    const signal = new AbortController().signal;
    const tex = textureDataset(60);
    await expect(trainExpert({ config: ExpertConfig.parse({ dataset: tex.name, epochs: 1, model: small, anchor: 7 }), dataset: tex, anchorDir: join(root, 'anchor') }, silentHooks, signal)).rejects.toThrow(/no image encoder/);
    await expect(trainExpert({ config: ExpertConfig.parse({ dataset: syn.name, epochs: 1, model: small, anchor: 7 }), dataset: syn }, silentHooks, signal)).rejects.toThrow(/no anchor bundle/);
  });
});

describe('anchor shapes', () => {
  it('refuse mixed modalities and exact ids over several interaction datasets', () => {
    expect(() => anchorShapes(AnchorConfig.parse({ datasets: ['syn', 'tex'] }).model, [syn, textureDataset(60)])).toThrow(/one modality.*text and image/);
    expect(() => anchorShapes(AnchorConfig.parse({ datasets: ['a', 'b'] }).model, [recommendationDataset(100, 4, false, 'a'), recommendationDataset(100, 5, false, 'b')])).toThrow(/hashed ids/);
  });

  it('take the largest derived encoder sizes', () => {
    const big = syntaxDataset(400, 9, 'big');
    const { shape, tasks } = anchorShapes(AnchorConfig.parse({ datasets: ['syn', 'big'] }).model, [syn, big]);
    expect(tasks.every((t) => t.text_buckets === shape.text_buckets && t.context === shape.context && t.dim === shape.dim)).toBe(true);
    expect(shape.text_buckets).toBeGreaterThanOrEqual(4096);
  });
});
