// Area-average (box filter) resize to a square: each output pixel is the coverage-weighted mean of
// the source pixels under it. Separable, plain double arithmetic, so the result is the same everywhere.

interface Tap {
  index: number;
  weight: number;
}

/** For each of `outSize` cells, the source indices it covers and their normalized overlap. */
function coverageTaps(inSize: number, outSize: number): Tap[][] {
  const scale = inSize / outSize;
  const taps: Tap[][] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    const cell: Tap[] = [];
    for (let i = Math.floor(start); i < Math.min(inSize, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 0) cell.push({ index: i, weight: overlap / scale });
    }
    taps.push(cell);
  }
  return taps;
}

/**
 * Resizes an interleaved image (`channels` bytes per pixel, the first three RGB; any alpha is dropped)
 * to `size` x `size` RGB bytes, stretching if the aspect ratio differs.
 */
export function boxResizeToSquareRgb(source: Uint8Array, width: number, height: number, channels: number, size: number): Uint8Array {
  if (width < 1 || height < 1) throw new Error(`image has no pixels (${width}x${height})`);
  if (source.length < width * height * channels) throw new Error('pixel buffer is shorter than the image size');
  const columns = coverageTaps(width, size);
  const rows = coverageTaps(height, size);
  // Horizontal pass: height x size x 3 partial sums.
  const across = new Float64Array(height * size * 3);
  for (let y = 0; y < height; y++) {
    const rowStart = y * width * channels;
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const { index, weight } of columns[x]) {
        const p = rowStart + index * channels;
        r += source[p] * weight;
        g += source[p + 1] * weight;
        b += source[p + 2] * weight;
      }
      const q = (y * size + x) * 3;
      across[q] = r;
      across[q + 1] = g;
      across[q + 2] = b;
    }
  }
  // Vertical pass.
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const { index, weight } of rows[y]) sum += across[(index * size + x) * 3 + c] * weight;
        out[(y * size + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
  return out;
}
