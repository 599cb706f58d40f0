// Image encoder: the 32x32 RGB image -> a grid of patch tokens of width D.
//   1. Normalize (host): standardize the image, and add a colour-invariant contrast channel (the
//      pixels projected on the image's principal colour axis).
//   2. Conv stem: a 3x3 convolution (stride 1, zero padding, ReLU) over the contrast channel, so
//      that every feature sees across patch borders (edges, corners, periodicity).
//   3. Patch embedding: each non-overlapping patch x patch square's stem features, plus the patch's
//      mean R, G, B, -> dense + GELU + dense to width D, plus a learned position embedding
//      -> (32/patch)^2 tokens per image, row-major over the patch grid.
// Pattern and colour take separate paths: the conv sees intensity patterns whatever their two
// colours, and colour enters only as one low-resolution mean per patch (as chroma subsampling).
// Fed the raw RGB windows instead, the stem learns the colours of the few training images: on the
// built-in texture sample (random colours per image) test accuracy stays near 0.8 instead of 0.95
// (patches alone, without the stem: 0.65). The stem uses ReLU: GELU's erf costs 2.5x on wasm over
// 32k rows per batch, and tested no better here.
// The wasm backend has no conv filter gradient, so the convolution is a matmul: the 3x3 windows
// are cut out on the host (im2col; the input needs no gradient), in patch-major row order, so the
// stem output reshapes straight into patches.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../../../../shared/domain.ts';
import { gelu } from '../expert.ts';
import { glorotVariable, normalVariable, zerosVariable } from '../init.ts';
import type { Rng } from '../../rng.ts';

/**
 * Per-image standardization (as tf.image.per_image_standardization): pixels scaled by 1/255, then
 * (x - mean) / max(std, 1/sqrt(n)) with mean and std over all n = 32*32*3 values of the image; then
 * the contrast channel (see contrastChannel). Written into bundles.
 */
export const IMAGE_NORMALIZATION = { scale: 1 / 255, method: 'per_image_standardization', contrast: 'principal_colour_axis' } as const;

/** Input channels after normalization: standardized R, G, B and the contrast channel. */
export const IMAGE_CHANNELS = 4;
const CONTRAST = 3;
/**
 * Output channels of the conv stem. Fixed, not config: part of the bundle format's image encoder
 * (a change would make saved experts unloadable), and the token width D already sizes the encoder.
 */
export const STEM_CHANNELS = 16;
/** Side of the conv stem's window. */
export const STEM_WINDOW = 3;
const WINDOW_WIDTH = STEM_WINDOW * STEM_WINDOW;
const LUMINANCE = [0.299, 0.587, 0.114];
const POWER_ITERATIONS = 32;

export interface ImageEncoderParams {
  /** Conv stem [3*3, STEM_CHANNELS] over the contrast channel (window rows, then columns), glorot-uniform. */
  conv_w: tf.Variable;
  conv_b: tf.Variable;
  /** Patch embedding [patch*patch*STEM_CHANNELS + 3 (mean RGB), D], glorot-uniform. */
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
  /** [samples * 32 * 32 * IMAGE_CHANNELS] normalized pixels, row-major, channels last. */
  pixels: Float32Array;
}

export function patchesPerImage(patch: number): number {
  return (IMAGE_SIZE / patch) ** 2;
}

export function createImageEncoder(rng: Rng, patch: number, dim: number): ImageEncoderParams {
  if (!Number.isInteger(patch) || patch < 1 || IMAGE_SIZE % patch !== 0) throw new Error(`image patch must divide ${IMAGE_SIZE}, got ${patch}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`image encoder dim must be a positive integer, got ${dim}`);
  return {
    conv_w: glorotVariable(rng, WINDOW_WIDTH, STEM_CHANNELS),
    conv_b: zerosVariable([STEM_CHANNELS]),
    stem_w: glorotVariable(rng, patch * patch * STEM_CHANNELS + 3, dim),
    stem_b: zerosVariable([dim]),
    proj_w: glorotVariable(rng, dim, dim),
    proj_b: zerosVariable([dim]),
    position: normalVariable(rng, [patchesPerImage(patch), dim], 0.02),
  };
}

/**
 * The colour-invariant contrast channel: every pixel's centred RGB projected on the image's
 * principal colour axis (top eigenvector of the 3x3 colour covariance, by power iteration from the
 * luminance weights, signed to agree with them), divided by its std. A two-colour pattern becomes
 * the same +-1 pattern whatever its two colours; a grey image gives its standardized grey.
 * Writes channel CONTRAST of `out` from pixel `first` on.
 */
function contrastChannel(rgb: Float32Array, out: Float32Array, first: number): void {
  const n = rgb.length / 3;
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) mean[c] += rgb[i * 3 + c];
  for (let c = 0; c < 3; c++) mean[c] /= n;
  const cov = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const d0 = rgb[i * 3] - mean[0];
    const d1 = rgb[i * 3 + 1] - mean[1];
    const d2 = rgb[i * 3 + 2] - mean[2];
    cov[0] += d0 * d0;
    cov[1] += d0 * d1;
    cov[2] += d0 * d2;
    cov[4] += d1 * d1;
    cov[5] += d1 * d2;
    cov[8] += d2 * d2;
  }
  cov[3] = cov[1];
  cov[6] = cov[2];
  cov[7] = cov[5];
  let v = [...LUMINANCE];
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    const w = [0, 1, 2].map((r) => cov[r * 3] * v[0] + cov[r * 3 + 1] * v[1] + cov[r * 3 + 2] * v[2]);
    const norm = Math.hypot(w[0], w[1], w[2]);
    // A flat image has no colour axis: its contrast channel stays zero.
    if (!(norm > 1e-9)) break;
    v = w.map((x) => x / norm);
  }
  if (v[0] * LUMINANCE[0] + v[1] * LUMINANCE[1] + v[2] * LUMINANCE[2] < 0) v = v.map((x) => -x);
  const g = new Float64Array(n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    g[i] = (rgb[i * 3] - mean[0]) * v[0] + (rgb[i * 3 + 1] - mean[1]) * v[1] + (rgb[i * 3 + 2] - mean[2]) * v[2];
    sq += g[i] * g[i];
  }
  const inv = 1 / Math.max(Math.sqrt(sq / n), 1 / Math.sqrt(n));
  for (let i = 0; i < n; i++) out[(first + i) * IMAGE_CHANNELS + CONTRAST] = g[i] * inv;
}

/**
 * Normalizes raw RGB bytes (each image IMAGE_SIZE x IMAGE_SIZE x 3) into one batch of
 * IMAGE_CHANNELS channels: standardized R, G, B, then the contrast channel.
 */
export function buildImageInput(images: readonly Uint8Array[]): ImageInput {
  const area = IMAGE_SIZE * IMAGE_SIZE;
  const size = area * 3;
  const pixels = new Float32Array(images.length * area * IMAGE_CHANNELS);
  const { scale } = IMAGE_NORMALIZATION;
  const rgb = new Float32Array(size);
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
    for (let j = 0; j < size; j++) rgb[j] = (img[j] * scale - mean) / std;
    for (let q = 0; q < area; q++) for (let c = 0; c < 3; c++) pixels[(i * area + q) * IMAGE_CHANNELS + c] = rgb[q * 3 + c];
    contrastChannel(rgb, pixels, i * area);
  });
  return { modality: 'image', samples: images.length, pixels };
}

/**
 * What the trainable layers read, cut out on the host: the 3x3 window of the contrast channel
 * around every pixel (zero outside the image), [samples * 32 * 32, 9], and the mean R, G, B of every
 * patch, [samples * patches, 3]. Rows are in patch-major order (image, patch row, patch column;
 * windows then by row and column inside the patch), so one patch's windows are consecutive.
 */
export function stemInputs(input: ImageInput, patch: number): { windows: Float32Array; colour: Float32Array } {
  const n = IMAGE_SIZE;
  const grid = n / patch;
  const half = (STEM_WINDOW - 1) / 2;
  const windows = new Float32Array(input.samples * n * n * WINDOW_WIDTH);
  const colour = new Float32Array(input.samples * grid * grid * 3);
  const px = input.pixels;
  let o = 0;
  let m = 0;
  for (let s = 0; s < input.samples; s++) {
    const base = s * n * n;
    for (let py = 0; py < grid; py++) {
      for (let pxl = 0; pxl < grid; pxl++) {
        for (let dy = 0; dy < patch; dy++) {
          for (let dx = 0; dx < patch; dx++) {
            const y = py * patch + dy;
            const x = pxl * patch + dx;
            const p = (base + y * n + x) * IMAGE_CHANNELS;
            for (let c = 0; c < 3; c++) colour[m + c] += px[p + c];
            for (let wy = -half; wy <= half; wy++) {
              const yy = y + wy;
              for (let wx = -half; wx <= half; wx++) {
                const xx = x + wx;
                windows[o++] = yy < 0 || yy >= n || xx < 0 || xx >= n ? 0 : px[(base + yy * n + xx) * IMAGE_CHANNELS + CONTRAST];
              }
            }
          }
        }
        for (let c = 0; c < 3; c++) colour[m + c] /= patch * patch;
        m += 3;
      }
    }
  }
  return { windows, colour };
}

/** Patch side of an encoder, from its position embedding (one row per patch). */
export function encoderPatch(p: ImageEncoderParams): number {
  return IMAGE_SIZE / Math.round(Math.sqrt(p.position.shape[0]));
}

/** [samples * patches, D]. */
export function encodeImage(p: ImageEncoderParams, input: ImageInput): tf.Tensor2D {
  // Bundles saved before the conv stem have patch weights only; they cannot be read as this encoder.
  if (p.conv_w === undefined) throw new Error('this image encoder has no conv stem (saved by an older version); train the expert again');
  return tf.tidy(() => {
    const dim = p.proj_w.shape[1] as number;
    const channels = p.conv_w.shape[1] as number;
    const patch = encoderPatch(p);
    const rows = input.samples * patchesPerImage(patch);
    const host = stemInputs(input, patch);
    const windows = tf.tensor2d(host.windows, [input.samples * IMAGE_SIZE * IMAGE_SIZE, WINDOW_WIDTH]);
    const features = tf.relu(tf.add(tf.matMul(windows, p.conv_w as tf.Tensor2D), p.conv_b));
    const perPatch = tf.concat([tf.reshape(features, [rows, patch * patch * channels]), tf.tensor2d(host.colour, [rows, 3])], 1) as tf.Tensor2D;
    const h = gelu(tf.add(tf.matMul(perPatch, p.stem_w as tf.Tensor2D), p.stem_b)) as tf.Tensor2D;
    const tokens = tf.add(tf.matMul(h, p.proj_w as tf.Tensor2D), p.proj_b);
    return tf.reshape(tf.add(tf.reshape(tokens, [input.samples, patchesPerImage(patch), dim]), p.position), [rows, dim]) as tf.Tensor2D;
  });
}
