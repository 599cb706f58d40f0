// The image encoder's input normalization (standardized RGB + the colour-invariant contrast
// channel), the host-side 3x3 windows of the conv stem, and that the stem trains on this backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_CHANNELS, STEM_CHANNELS, buildImageInput, createImageEncoder, encodeImage, stemInputs } from '../../../electron/engine/model/encoders/image-encoder.ts';
import { createRng } from '../../../electron/engine/rng.ts';
import { useBackend } from './setup-backend.ts';

const AREA = 32 * 32;
/** A two-colour image: pattern(x, y) picks `fore` (1) or `back` (0). */
function twoColour(pattern: (x: number, y: number) => number, back: number[], fore: number[]): Uint8Array {
  const img = new Uint8Array(AREA * 3);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) img[(y * 32 + x) * 3 + c] = pattern(x, y) ? fore[c] : back[c];
  return img;
}
const channel = (pixels: Float32Array, c: number, image = 0): number[] => Array.from({ length: AREA }, (_, q) => pixels[(image * AREA + q) * IMAGE_CHANNELS + c]);
const stripes = (x: number, y: number): number => ((x + 2 * y) % 6 < 3 ? 1 : 0);

beforeAll(useBackend);

describe('image input', () => {
  it('has standardized R, G, B and a contrast channel that is the same pattern whatever the two colours', () => {
    // Brighter foreground in both (the channel's sign follows luminance).
    const input = buildImageInput([twoColour(stripes, [20, 20, 120], [240, 60, 60]), twoColour(stripes, [90, 10, 10], [40, 250, 200])]);
    expect(input.pixels.length).toBe(2 * AREA * IMAGE_CHANNELS);
    const [a, b] = [channel(input.pixels, 3, 0), channel(input.pixels, 3, 1)];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    // A two-level pattern, about half on, with unit std: values near +-1, + where the pattern is on.
    expect(new Set(a.map((v) => v.toFixed(4))).size).toBe(2);
    a.forEach((v, i) => expect(Math.sign(v)).toBe(stripes(i % 32, Math.floor(i / 32)) ? 1 : -1));
    expect(a[0]).toBeCloseTo(1, 2);
    // The RGB channels still tell the colours apart.
    expect(channel(input.pixels, 0, 0)).not.toEqual(channel(input.pixels, 0, 1));
  });

  it('a grey image gives its standardized grey as contrast; a flat image gives zeros', () => {
    const grey = new Uint8Array(AREA * 3).map((_, i) => (Math.floor(i / 3) * 37) % 256);
    const flat = new Uint8Array(AREA * 3).fill(77);
    const input = buildImageInput([grey, flat]);
    const [r, contrast] = [channel(input.pixels, 0), channel(input.pixels, 3)];
    contrast.forEach((v, i) => expect(v).toBeCloseTo(r[i], 4));
    expect(channel(input.pixels, 3, 1).every((v) => v === 0)).toBe(true);
  });
});

describe('conv stem windows', () => {
  it('are the 3x3 contrast neighbourhoods (zero outside), in patch-major order, with each patch\'s mean colour', () => {
    const pixels = new Float32Array(AREA * IMAGE_CHANNELS);
    for (let q = 0; q < AREA; q++) {
      pixels[q * IMAGE_CHANNELS + 3] = q; // contrast = pixel index
      pixels[q * IMAGE_CHANNELS] = q % 32 < 4 ? 1 : 0; // red in the first 4 columns
    }
    const { windows, colour } = stemInputs({ modality: 'image', samples: 1, pixels }, 4);
    expect(windows.length).toBe(AREA * 9);
    expect(colour.length).toBe(64 * 3);
    // Row 0: pixel (0, 0): above and left are outside.
    expect(Array.from(windows.subarray(0, 9))).toEqual([0, 0, 0, 0, 0, 1, 0, 32, 33]);
    // Row 4 is still patch (0, 0): its pixel (1, 0) (row 1, column 0).
    expect(Array.from(windows.subarray(4 * 9, 5 * 9))).toEqual([0, 0, 1, 0, 32, 33, 0, 64, 65]);
    // Row 16 starts patch (0, 1): pixel (0, 4).
    expect(Array.from(windows.subarray(16 * 9, 17 * 9))).toEqual([0, 0, 0, 3, 4, 5, 35, 36, 37]);
    expect(Array.from(colour.subarray(0, 6))).toEqual([1, 0, 0, 0, 0, 0]);
  });

  it('the whole encoder trains on this backend (the stem gets a gradient) and leaves no tensor behind', () => {
    const p = createImageEncoder(createRng(5), 4, 8);
    expect(p.conv_w.shape).toEqual([9, STEM_CHANNELS]);
    expect(p.stem_w.shape).toEqual([16 * STEM_CHANNELS + 3, 8]);
    const input = buildImageInput([twoColour(stripes, [0, 0, 0], [255, 255, 255]), twoColour((x, y) => (x >> 2) ^ (y >> 2) & 1, [10, 200, 10], [200, 10, 200])]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(encodeImage(p, input))) as tf.Scalar, Object.values(p));
    const norms = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tf.tidy(() => tf.norm(grads[v.name]).dataSync()[0])]));
    for (const [k, n] of Object.entries(norms)) {
      expect(Number.isFinite(n), k).toBe(true);
      expect(n, k).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(p));
  });
});
