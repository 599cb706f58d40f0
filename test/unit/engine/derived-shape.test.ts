// Data-derived model sizes, exact id vocabularies, and the biased-MF parts of the interaction
// encoder checked against values computed by hand.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExpertConfig, ModelShapeInput } from '../../../shared/config.ts';
import { dataFacts, deriveShape, resolveExpertConfig } from '../../../electron/engine/model/derive-shape.ts';
import { idMapper, idVocabOf } from '../../../electron/engine/model/id-vocab.ts';
import { buildInteractionInput, interactionBias, interactionPenalty, type InteractionEncoderParams } from '../../../electron/engine/model/encoders/interaction-encoder.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import type { LoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset } from './synthetic.ts';

beforeAll(useBackend);

/** A semantics set whose training texts are 10..109 words long (one of each length). */
function longTexts(): LoadedDataset<'semantics'> {
  const records = Array.from({ length: 100 }, (_, i) => ({ text: Array.from({ length: 10 + i }, (_, w) => `w${w % 37}`).join(' '), label: i % 2 ? 'a' : 'b' }));
  return { name: 'long', kind: 'semantics', version: 'v', implicit: false, labels: ['a', 'b'], records, split: new Uint8Array(100) };
}

describe('model sizes derived from the data', () => {
  it('text length is the 95th percentile of the training texts, buckets follow the vocabulary', () => {
    const shape = resolveExpertConfig(ExpertConfig.parse({ dataset: 'long' }), longTexts()).model;
    // Lengths 10..109: the 95th of 100 (nearest rank) is 104.
    expect(shape.max_tokens).toBe(104);
    // 37 distinct words -> 8 * 37 = 296 -> the floor of 4,096.
    expect(shape.text_buckets).toBe(4096);
    expect(shape).toMatchObject({ dim: 64, hidden: 128, context: 2, word_bigrams: true });
  });

  it('explicit values win over derived ones', () => {
    const config = ExpertConfig.parse({ dataset: 'long', model: { max_tokens: 20, dim: 16, hidden: 24, text_buckets: 512, word_bigrams: false, context: 1 } });
    expect(resolveExpertConfig(config, longTexts()).model).toMatchObject({ max_tokens: 20, dim: 16, hidden: 24, text_buckets: 512, word_bigrams: false, context: 1 });
  });

  it('ids are exact while they fit, hashed when asked; hidden grows with the training set', () => {
    const rec = recommendationDataset(900);
    const facts = dataFacts(rec);
    expect(facts.trainSamples).toBe(Array.from(rec.split).filter((c) => c === 0).length);
    const derived = deriveShape(ModelShapeInput.parse({}), facts);
    expect(derived.ids).toBe('exact');
    expect(deriveShape(ModelShapeInput.parse({ ids: 'hashed', id_buckets: 64 }), facts)).toMatchObject({ ids: 'hashed', id_buckets: 64 });
    expect(deriveShape(ModelShapeInput.parse({}), { ...facts, trainSamples: 20000 }).hidden).toBe(4 * 64);
    expect(deriveShape(ModelShapeInput.parse({}), { ...facts, trainSamples: 19999 }).hidden).toBe(2 * 64);
    expect(deriveShape(ModelShapeInput.parse({}), { ...facts, distinctIds: (1 << 20) + 1 }).ids).toBe('hashed');
    // Syntax: the context window sees neighbours, so no bigrams by default.
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'syn' }), syntaxDataset(40)).model.word_bigrams).toBe(false);
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'sem' }), semanticsDataset(40)).model.word_bigrams).toBe(true);
  });

  it('token dropout: 0.2 for text, 0 for ratings, an explicit value wins', () => {
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'syn' }), syntaxDataset(40)).dropout).toBe(0.2);
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'sem' }), semanticsDataset(40)).dropout).toBe(0.2);
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'rec' }), recommendationDataset(90)).dropout).toBe(0);
    expect(resolveExpertConfig(ExpertConfig.parse({ dataset: 'sem', dropout: 0 }), semanticsDataset(40)).dropout).toBe(0);
  });

  it('a resolved config is a valid explicit config that resolves to itself (replay is exact)', () => {
    const resolved = resolveExpertConfig(ExpertConfig.parse({ dataset: 'long' }), longTexts());
    const again = resolveExpertConfig(ExpertConfig.parse(resolved), semanticsDataset(40, 9, 'long'));
    expect(again).toEqual(resolved);
  });
});

describe('exact id vocabulary', () => {
  it('training ids get rows from 1 in sorted order; unseen ids share row 0', () => {
    const vocab = idVocabOf([
      { user: 'u2', item: 'b' },
      { user: 'u10', item: 'a' },
      { user: 'u2', item: 'c' },
    ]);
    expect(vocab).toEqual({ users: ['u10', 'u2'], items: ['a', 'b', 'c'] });
    const m = idMapper({ ids: 'exact', id_buckets: 16 }, vocab);
    expect([m.userRows, m.itemRows]).toEqual([3, 4]);
    expect(['u10', 'u2', 'nobody'].map(m.user)).toEqual([1, 2, 0]);
    expect(['a', 'c', 'zzz'].map(m.item)).toEqual([1, 3, 0]);
    expect(() => idMapper({ ids: 'exact', id_buckets: 16 }, null)).toThrow("exact ids need the task's id vocabulary");
    const hashed = idMapper({ ids: 'hashed', id_buckets: 16 }, null);
    expect(hashed.userRows).toBe(16);
    expect(hashed.user('u2')).toBeLessThan(16);
  });

  it('the task carries the vocabulary of the training split only', () => {
    const rec = recommendationDataset(300);
    const shape = resolveExpertConfig(ExpertConfig.parse({ dataset: 'rec' }), rec).model;
    const task = taskSpecOf(rec, shape);
    const trainUsers = new Set(rec.records.filter((_, i) => rec.split[i] === 0).map((r) => r.user));
    expect(task.ids?.users).toEqual([...trainUsers].sort());
    expect(taskSpecOf(rec, { ...shape, ids: 'hashed' }).ids).toBeNull();
    expect(task.shape).toEqual(shape);
  });
});

describe('biased matrix factorization parts', () => {
  // Two users, three items, D = 2, set by hand.
  const make = (): InteractionEncoderParams => ({
    user: tf.variable(tf.tensor2d([[0, 0], [1, 2], [3, -1]])),
    item: tf.variable(tf.tensor2d([[0, 0], [0.5, 0], [-1, 1], [2, 2]])),
    w: tf.variable(tf.zeros([6, 2])),
    b: tf.variable(tf.zeros([2])),
    user_bias: tf.variable(tf.tensor2d([[0], [0.5], [-0.25]])),
    item_bias: tf.variable(tf.tensor2d([[0], [1], [2], [-1]])),
  });

  it('bias = b_u + b_i per pair; penalty = mean |p_u|^2 + |q_i|^2 + b_u^2 + b_i^2; gradients by hand', () => {
    const p = make();
    const input = buildInteractionInput(Int32Array.of(1, 2, 1), Int32Array.of(1, 3, 2));
    const before = tf.memory().numTensors;
    const bias = interactionBias(p, input);
    expect(Array.from(bias.dataSync())).toEqual([1.5, -1.25, 2.5]);
    const pen = interactionPenalty(p, input);
    // pair (1,1): 5 + 0.25 + 0.25 + 1 = 6.5; (2,3): 10 + 8 + 0.0625 + 1 = 19.0625; (1,2): 5 + 2 + 0.25 + 4 = 11.25
    expect(pen.dataSync()[0]).toBeCloseTo((6.5 + 19.0625 + 11.25) / 3, 5);
    tf.dispose([bias, pen]);
    // d(sum of biases)/d b_u counts each user's pairs; d penalty / d p_u = 2 p_u * (pairs of u) / 3.
    const g = tf.variableGrads(() => tf.add(tf.sum(interactionBias(p, input)), interactionPenalty(p, input)) as tf.Scalar, [p.user_bias, p.user, p.item_bias]);
    const gb = Array.from(g.grads[p.user_bias.name].dataSync());
    [0, 2 + (2 * 0.5 * 2) / 3, 1 + (2 * -0.25) / 3].forEach((v, i) => expect(gb[i]).toBeCloseTo(v, 5));
    const gu = Array.from(g.grads[p.user.name].dataSync());
    [0, 0, (2 * 1 * 2) / 3, (2 * 2 * 2) / 3, (2 * 3) / 3, (2 * -1) / 3].forEach((v, i) => expect(gu[i]).toBeCloseTo(v, 5));
    const gi = Array.from(g.grads[p.item_bias.name].dataSync());
    [0, 1 + (2 * 1) / 3, 1 + (2 * 2) / 3, 1 + (2 * -1) / 3].forEach((v, i) => expect(gi[i]).toBeCloseTo(v, 5));
    tf.dispose([g.value, ...Object.values(g.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(p));
  });
});
