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
    experts[ds.name] = await trainExpert({ config: ExpertConfig.parse({ dataset: ds.name, epochs: 4, model: small, anchor: 7 }), dataset: ds, anchorDir: join(root, 'anchor') }, silentHooks, signal);
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
    // Their experts did move away from the seed's initialization (the same for both branches).
    const s = await readSnapshot(join(root, syn.name));
    const m = await readSnapshot(join(root, sem.name));
    expect(Array.from(s.weights.get('expert/0/w1')!.data)).not.toEqual(Array.from(m.weights.get('expert/0/w1')!.data));
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
