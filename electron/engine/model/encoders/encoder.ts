// One encoder per modality behind one interface: create (seeded), encode a batch to flat tokens
// [tokens, D], list variables by name, average several (BTX merge).
//
// Every encoder ends with a LayerNorm whose shift starts at a seeded per-modality type embedding
// of norm about sqrt(D) (as the token-type embeddings of BERT or VLMo): tokens of different
// modalities then sit apart, and a linear router without bias can tell them apart. Without it,
// image patch tokens (norm ~5) surround the small word tokens (norm ~0.3) and no direction
// separates them.
import * as tf from '@tensorflow/tfjs';
import type { Modality } from '../../../../shared/domain.ts';
import type { ModelShape } from '../../../../shared/config.ts';
import { normalizeRows } from '../expert.ts';
import { fromArray, normalVariable } from '../init.ts';
import { createRng, deriveSeed } from '../../rng.ts';
import { createImageEncoder, encodeImage, patchesPerImage, type ImageEncoderParams, type ImageInput } from './image-encoder.ts';
import { createInteractionEncoder, encodeInteraction, type InteractionEncoderParams, type InteractionInput } from './interaction-encoder.ts';
import { createTextEncoder, encodeText, type TextEncoderParams, type TextInput } from './text-encoder.ts';
import type { IdMapper } from '../id-vocab.ts';

/** The closing LayerNorm: scale [D] (ones) and shift [D] (the modality's type embedding, normal(0, 1)). */
export interface OutputNorm {
  out_gamma: tf.Variable;
  out_beta: tf.Variable;
}

export type EncoderParams =
  | { modality: 'text'; params: TextEncoderParams & OutputNorm }
  | { modality: 'image'; params: ImageEncoderParams & OutputNorm }
  | { modality: 'interaction'; params: InteractionEncoderParams & OutputNorm };

export type EncoderInput = TextInput | ImageInput | InteractionInput;

/**
 * A fresh encoder of `modality`, initialized from (seed, modality) only: every branch of one
 * modality starts from the same weights, so averaging branches later is meaningful.
 */
export function createEncoder(modality: Modality, shape: ModelShape, seed: number, ids: IdMapper | null = null): EncoderParams {
  const rng = createRng(deriveSeed(seed, 'encoder', modality));
  const norm = (): OutputNorm => ({ out_gamma: fromArray(new Float32Array(shape.dim).fill(1), [shape.dim]), out_beta: normalVariable(createRng(deriveSeed(seed, 'type-embedding', modality)), [shape.dim], 1) });
  switch (modality) {
    case 'text':
      return { modality, params: { ...createTextEncoder(rng, shape.text_buckets, shape.dim, shape.context), ...norm() } };
    case 'image':
      return { modality, params: { ...createImageEncoder(rng, shape.patch, shape.dim), ...norm() } };
    case 'interaction':
      if (ids === null) throw new Error('an interaction encoder needs its id rows (idMapper)');
      return { modality, params: { ...createInteractionEncoder(rng, ids.userRows, ids.itemRows, shape.dim), ...norm() } };
    default:
      throw new Error(`unknown modality: ${String(modality)}`);
  }
}

/** Tokens [tokens, D] of a batch; the input must be of the encoder's modality. */
export function encode(encoder: EncoderParams, input: EncoderInput): tf.Tensor2D {
  if (encoder.modality !== input.modality) throw new Error(`a ${encoder.modality} encoder cannot encode ${input.modality} input`);
  return tf.tidy(() => {
    const raw =
      encoder.modality === 'text'
        ? encodeText(encoder.params, input as TextInput)
        : encoder.modality === 'image'
          ? encodeImage(encoder.params, input as ImageInput)
          : encodeInteraction(encoder.params, input as InteractionInput);
    return tf.add(tf.mul(normalizeRows(raw), encoder.params.out_gamma), encoder.params.out_beta) as tf.Tensor2D;
  });
}

/** Sample index of every token the encoder produces for `input`, in token order. */
export function tokenSamples(input: EncoderInput, patch: number): Int32Array {
  if (input.modality === 'text') return input.tokenSample;
  const per = input.modality === 'image' ? patchesPerImage(patch) : 1;
  const out = new Int32Array(input.samples * per);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(i / per);
  return out;
}

/** Variables by parameter name, in a fixed order. */
export function encoderVariables(encoder: EncoderParams): Record<string, tf.Variable> {
  return { ...encoder.params } as Record<string, tf.Variable>;
}

/**
 * The tables the encoder reads row by row (embeddings of words, users, items, and the rating
 * biases): a batch touches few of their rows, so the optimizer updates them lazily (fused-adam.ts),
 * in place on wasm. So a table must only ever be read by gather, never as a matmul operand.
 */
export function lookupTables(encoder: EncoderParams): tf.Variable[] {
  if (encoder.modality === 'text') return [encoder.params.embedding];
  if (encoder.modality === 'interaction') return [encoder.params.user, encoder.params.item, encoder.params.user_bias, encoder.params.item_bias];
  return [];
}

/** A new encoder whose every parameter is the weighted mean of the given encoders' (BTX merge). */
export function averageEncoders(encoders: readonly EncoderParams[], weights?: readonly number[]): EncoderParams {
  if (encoders.length === 0) throw new Error('averageEncoders needs at least one encoder');
  const modality = encoders[0].modality;
  if (encoders.some((e) => e.modality !== modality)) throw new Error(`cannot average encoders of different modalities (${encoders.map((e) => e.modality).join(', ')})`);
  const w = weights ?? encoders.map(() => 1);
  if (w.length !== encoders.length) throw new Error(`averageEncoders got ${w.length} weights for ${encoders.length} encoders`);
  const total = w.reduce((a, b) => a + b, 0);
  const names = Object.keys(encoders[0].params);
  for (const name of names) {
    const shapes = encoders.map((e) => encoderVariables(e)[name].shape.join('x'));
    if (shapes.some((s) => s !== shapes[0])) {
      throw new Error(`encoders can only be averaged when their ${name} shapes agree (${shapes.join(' vs ')}): train the experts with the same model sizes, or keep encoders per domain`);
    }
  }
  const params: Record<string, tf.Variable> = {};
  for (const name of names) {
    params[name] = tf.tidy(() => {
      let sum = tf.zerosLike(encoderVariables(encoders[0])[name]);
      encoders.forEach((e, i) => {
        sum = tf.add(sum, tf.mul(encoderVariables(e)[name], w[i] / total));
      });
      return tf.variable(sum, true);
    });
  }
  return { modality, params } as unknown as EncoderParams;
}
