// Image encoder (ViT-style): the 32x32 RGB image, standardized per image, is cut into
// non-overlapping patch x patch squares; a two-layer stem (dense + GELU + dense, a conv stem
// written as matmuls on patches) maps each to width D, plus a learned position embedding
// -> (32/patch)^2 patch tokens per image, row-major over the patch grid.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../../../../shared/domain.ts';
import { gelu } from '../expert.ts';
import { glorotVariable, normalVariable, zerosVariable } from '../init.ts';
import type { Rng } from '../rng.ts';

/**
 * Per-image standardization (as tf.image.per_image_standardization): pixels scaled by 1/255, then
 * (x - mean) / max(std, 1/sqrt(n)) with mean and std over all n = 32*32*3 values of the image. The
 * model then sees patterns, not overall brightness or colour cast. Written into bundles.
 */
export const IMAGE_NORMALIZATION = { scale: 1 / 255, method: 'per_image_standardization' } as const;

export interface ImageEncoderParams {
  /** Patch stem [patch*patch*3, D], glorot-uniform. */
  stem_w: tf.Variable;
  stem_b: tf.Variable;
  /** Projection [D, D], glorot-uniform. */
  proj_w: tf.Variable;
  proj_b: tf.Variable;
  /** Position embedding [patches, D], normal(0, 0.02). */
  position: tf.Variable;
}

export interface ImageInput {
  modality: 'image';
  samples: number;
  /** [samples * 32 * 32 * 3] normalized pixels, row-major RGB. */
  pixels: Float32Array;
}

export function patchesPerImage(patch: number): number {
  return (IMAGE_SIZE / patch) ** 2;
}

export function createImageEncoder(rng: Rng, patch: number, dim: number): ImageEncoderParams {
  if (!Number.isInteger(patch) || patch < 1 || IMAGE_SIZE % patch !== 0) throw new Error(`image patch must divide ${IMAGE_SIZE}, got ${patch}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`image encoder dim must be a positive integer, got ${dim}`);
  const inWidth = patch * patch * 3;
  return {
    stem_w: glorotVariable(rng, inWidth, dim),
    stem_b: zerosVariable([dim]),
    proj_w: glorotVariable(rng, dim, dim),
    proj_b: zerosVariable([dim]),
    position: normalVariable(rng, [patchesPerImage(patch), dim], 0.02),
  };
}

/** Standardizes raw RGB bytes (each image IMAGE_SIZE x IMAGE_SIZE x 3) into one batch. */
export function buildImageInput(images: readonly Uint8Array[]): ImageInput {
  const size = IMAGE_SIZE * IMAGE_SIZE * 3;
  const pixels = new Float32Array(images.length * size);
  const { scale } = IMAGE_NORMALIZATION;
  images.forEach((img, i) => {
    if (img.length !== size) throw new Error(`image ${i} has ${img.length} bytes, expected ${size} (${IMAGE_SIZE}x${IMAGE_SIZE} RGB)`);
    let sum = 0;
    let sq = 0;
    for (let j = 0; j < size; j++) {
      const v = img[j] * scale;
      sum += v;
      sq += v * v;
    }
    const mean = sum / size;
    const std = Math.max(Math.sqrt(Math.max(0, sq / size - mean * mean)), 1 / Math.sqrt(size));
    for (let j = 0; j < size; j++) pixels[i * size + j] = (img[j] * scale - mean) / std;
  });
  return { modality: 'image', samples: images.length, pixels };
}

/** [samples * patches, D]. */
export function encodeImage(p: ImageEncoderParams, input: ImageInput): tf.Tensor2D {
  return tf.tidy(() => {
    const dim = p.proj_w.shape[1] as number;
    const patch = Math.round(Math.sqrt(p.stem_w.shape[0] / 3));
    const grid = IMAGE_SIZE / patch;
    const b = input.samples;
    const x = tf.tensor6d(input.pixels, [b, grid, patch, grid, patch, 3]);
    const patches = tf.reshape(tf.transpose(x, [0, 1, 3, 2, 4, 5]), [b * grid * grid, patch * patch * 3]) as tf.Tensor2D;
    const h = gelu(tf.add(tf.matMul(patches, p.stem_w as tf.Tensor2D), p.stem_b)) as tf.Tensor2D;
    const tokens = tf.add(tf.matMul(h, p.proj_w as tf.Tensor2D), p.proj_b);
    return tf.reshape(tf.add(tf.reshape(tokens, [b, grid * grid, dim]), p.position), [b * grid * grid, dim]) as tf.Tensor2D;
  });
}
