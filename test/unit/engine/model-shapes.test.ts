// Shapes of every encoder and head, and the factories' messages for bad arguments.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelShape } from '../../../shared/config.ts';
import { createBranchModel, validateShape } from '../../../electron/engine/model/branch-model.ts';
import { averageEncoders, createEncoder, encode, encoderVariables, tokenSamples, type EncoderParams } from '../../../electron/engine/model/encoders/encoder.ts';
import { buildImageInput, createImageEncoder } from '../../../electron/engine/model/encoders/image-encoder.ts';
import { buildInteractionInput, createInteractionEncoder } from '../../../electron/engine/model/encoders/interaction-encoder.ts';
import { buildTextInput, createTextEncoder } from '../../../electron/engine/model/encoders/text-encoder.ts';
import { createHead, headForward } from '../../../electron/engine/model/heads.ts';
import { disposeModel, forward } from '../../../electron/engine/model/multitask-model.ts';
import { createRng } from '../../../electron/engine/rng.ts';
import { featurizeWords, textSettings, tokenizeText } from '../../../electron/engine/model/text-features.ts';
import { useBackend } from './setup-backend.ts';

const shape: ModelShape = { dim: 8, hidden: 16, text_buckets: 128, id_buckets: 32, ids: 'hashed', patch: 4, max_tokens: 48, context: 1, word_bigrams: false };
const settings = textSettings(shape);
const ids = { userRows: 32, itemRows: 32, user: () => 0, item: () => 0 };
const image = (v: number): Uint8Array => new Uint8Array(32 * 32 * 3).map((_, i) => (i * v) % 256);

beforeAll(useBackend);

describe('encoders', () => {
  it('text: one token per word, flat over the batch', () => {
    const enc = createEncoder('text', shape, 1);
    const input = buildTextInput([featurizeWords(tokenizeText('The cat sat.'), settings), featurizeWords(['dogs', 'run'], settings)], 1);
    expect(input.tokens).toBe(6);
    expect(Array.from(input.tokenSample)).toEqual([0, 0, 0, 0, 1, 1]);
    // Neighbours stop at each text's edge (row 6 is the zero row).
    expect(Array.from(input.neighbours[0])).toEqual([6, 0, 1, 2, 6, 4]);
    expect(Array.from(input.neighbours[1])).toEqual([1, 2, 3, 6, 5, 6]);
    const t = encode(enc, input);
    expect(t.shape).toEqual([6, 8]);
    tf.dispose([t, ...Object.values(enc.params)]);
  });

  it('text: a window of two neighbours per side reads offsets -2, -1, +1, +2 within each text', () => {
    const enc = createEncoder('text', { ...shape, context: 2 }, 1);
    const input = buildTextInput([featurizeWords(['a', 'b', 'c'], settings), featurizeWords(['d', 'e'], settings)], 2);
    expect(input.neighbours.map((n) => Array.from(n))).toEqual([
      [5, 5, 0, 5, 5],
      [5, 0, 1, 5, 3],
      [1, 2, 5, 4, 5],
      [2, 5, 5, 5, 5],
    ]);
    expect(encoderVariables(enc).context_w.shape).toEqual([5 * 8, 8]);
    const t = encode(enc, input);
    expect(t.shape).toEqual([5, 8]);
    expect(() => encode(enc, buildTextInput([featurizeWords(['a'], settings)], 1))).toThrow('text input built for 1 neighbours per side, encoder reads 2');
    tf.dispose([t, ...Object.values(enc.params)]);
  });

  it('image: (32 / patch)^2 patch tokens per image', () => {
    for (const patch of [4, 8]) {
      const enc = createEncoder('image', { ...shape, patch }, 1);
      const input = buildImageInput([image(3), image(7)]);
      const t = encode(enc, input);
      expect(t.shape).toEqual([2 * (32 / patch) ** 2, 8]);
      expect(tokenSamples(input, patch).length).toBe(t.shape[0]);
      tf.dispose([t, ...Object.values(enc.params)]);
    }
  });

  it('interaction: one token per (user, item)', () => {
    const enc = createEncoder('interaction', shape, 1, ids);
    const t = encode(enc, buildInteractionInput(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6)));
    expect(t.shape).toEqual([3, 8]);
    tf.dispose([t, ...Object.values(enc.params)]);
  });

  it('the same seed gives every branch of a modality the same encoder', () => {
    const a = createEncoder('text', shape, 7);
    const b = createEncoder('text', shape, 7);
    const c = createEncoder('text', shape, 8);
    const values = (e: EncoderParams, name: string): number[] => Array.from(encoderVariables(e)[name].dataSync());
    expect(values(a, 'embedding')).toEqual(values(b, 'embedding'));
    expect(values(a, 'embedding')).not.toEqual(values(c, 'embedding'));
    const avg = averageEncoders([a, c]);
    const [x, y, z] = [a, c, avg].map((e) => values(e, 'context_w')[5]);
    expect(z).toBeCloseTo((x + y) / 2, 6);
    tf.dispose([a, b, c, avg].flatMap((e) => Object.values(e.params)));
  });
});

describe('heads', () => {
  it('token, pooled, rating and logistic outputs', () => {
    const rng = createRng(3);
    const tokens = tf.randomNormal([5, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    const samples = Int32Array.of(0, 0, 1, 1, 1);
    const shapes = (['token_softmax', 'pooled_softmax', 'rating', 'logistic'] as const).map((kind) => {
      const h = createHead(rng, kind, 8, 4);
      const out = headForward(kind, h, tokens, samples, 2);
      const s = out.shape;
      tf.dispose([out, h.w, h.b]);
      return s;
    });
    expect(shapes).toEqual([[5, 4], [2, 4], [5, 1], [5, 1]]);
    tokens.dispose();
  });

  it('pooled head averages each sample\'s tokens', () => {
    const h = { w: tf.variable(tf.eye(2)), b: tf.variable(tf.zeros([2])) };
    const out = headForward('pooled_softmax', h, tf.tensor2d([[1, 2], [3, 4], [10, 20]]), Int32Array.of(0, 0, 1), 2);
    expect(Array.from(out.dataSync())).toEqual([2, 3, 10, 20]);
    tf.dispose([out, h.w, h.b]);
  });
});

describe('factories reject bad arguments', () => {
  const task = { name: 't', kind: 'semantics' as const, modality: 'text' as const, labels: ['a', 'b'], implicit: false, rating: null, metrics: ['accuracy', 'macro_f1'], ids: null, shape };
  it('model shape', () => {
    expect(() => validateShape({ ...shape, dim: 0 })).toThrow('model.dim must be a positive integer, got 0');
    expect(() => validateShape({ ...shape, hidden: 2.5 })).toThrow('model.hidden must be a positive integer, got 2.5');
    expect(() => validateShape({ ...shape, patch: 5 })).toThrow('model.patch must divide the image size 32, got 5');
    expect(() => createBranchModel(task, shape, -1)).toThrow('seed must be a non-negative integer, got -1');
  });
  it('encoders and heads', () => {
    const rng = createRng(1);
    expect(() => createTextEncoder(rng, 0, 8, 1)).toThrow('text encoder buckets must be a positive integer, got 0');
    expect(() => createTextEncoder(rng, 16, 8, -1)).toThrow('text encoder context must be a non-negative integer, got -1');
    expect(() => createImageEncoder(rng, 6, 8)).toThrow('image patch must divide 32, got 6');
    expect(() => createInteractionEncoder(rng, 16, 16, 0)).toThrow('interaction encoder dim must be a positive integer, got 0');
    expect(() => createInteractionEncoder(rng, 16, 0, 8)).toThrow('interaction encoder item rows must be a positive integer, got 0');
    expect(() => createHead(rng, 'pooled_softmax', 8, 1)).toThrow('a pooled_softmax head needs at least 2 classes, got 1');
    expect(() => buildImageInput([new Uint8Array(10)])).toThrow('image 0 has 10 bytes, expected 3072 (32x32 RGB)');
    expect(() => buildInteractionInput(Int32Array.of(1), Int32Array.of(1, 2))).toThrow('interaction input has 1 users but 2 items');
  });
  it('encoder and modality must match', () => {
    const enc = createEncoder('interaction', shape, 1, ids);
    expect(() => encode(enc, buildImageInput([image(1)]))).toThrow('a interaction encoder cannot encode image input');
    const img = createEncoder('image', shape, 1);
    expect(() => averageEncoders([enc, img])).toThrow('cannot average encoders of different modalities (interaction, image)');
    tf.dispose([...Object.values(enc.params), ...Object.values(img.params)]);
  });
});

describe('branch model', () => {
  it('forward through encoder, expert and head', () => {
    const task = { name: 's', kind: 'syntax' as const, modality: 'text' as const, labels: ['A', 'B', 'C'], implicit: false, rating: null, metrics: ['accuracy', 'macro_f1'], ids: null, shape };
    const model = createBranchModel(task, shape, 1);
    const before = tf.memory().numTensors;
    const input = buildTextInput([featurizeWords(['a', 'b', 'c', 'd'], settings)], 1);
    const out = tf.tidy(() => forward(model, [{ task: 0, input }], { training: false, noiseSeed: 0 }).outputs[0]);
    expect(out.shape).toEqual([4, 3]);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeModel(model);
  });
});
