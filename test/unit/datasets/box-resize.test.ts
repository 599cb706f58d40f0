// The box filter against hand-computed area averages.
import { describe, expect, it } from 'vitest';
import { boxResizeToSquareRgb } from '../../../electron/engine/datasets/box-resize.ts';

function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), (y * width + x) * 4);
  return out;
}

describe('boxResizeToSquareRgb', () => {
  it('averages each 2x2 block when halving', () => {
    const source = rgba(4, 4, (x, y) => [x * 10 + y, 100, 200, 7]);
    const out = boxResizeToSquareRgb(source, 4, 4, 4, 2);
    // Block (0,0) holds x in {0,1}, y in {0,1}: mean of 0, 1, 10, 11 = 5.5 -> 6.
    expect(Array.from(out)).toEqual([6, 100, 200, 26, 100, 200, 8, 100, 200, 28, 100, 200]);
  });

  it('weights partial coverage: 3 pixels into 2', () => {
    // One row [0, 90, 180] -> cells cover [0, 1.5) and [1.5, 3): (0 + 0.5*90)/1.5 = 30 and (0.5*90 + 180)/1.5 = 150.
    const source = rgba(3, 3, (x) => [x * 90, x * 90, x * 90, 255]);
    const out = boxResizeToSquareRgb(source, 3, 3, 4, 2);
    expect(Array.from(out.slice(0, 6))).toEqual([30, 30, 30, 150, 150, 150]);
  });

  it('keeps a same-size image unchanged, drops alpha, and accepts RGB input', () => {
    const source = rgba(3, 3, (x, y) => [x, y, x + y, 0]);
    const out = boxResizeToSquareRgb(source, 3, 3, 4, 3);
    const rgb = new Uint8Array(27);
    for (let i = 0; i < 9; i++) rgb.set(source.subarray(i * 4, i * 4 + 3), i * 3);
    expect(out).toEqual(rgb);
    expect(boxResizeToSquareRgb(rgb, 3, 3, 3, 3)).toEqual(rgb);
  });

  it('stretches a 1x2 image into a square by repeating pixels', () => {
    const out = boxResizeToSquareRgb(Uint8Array.from([10, 20, 30, 255, 50, 60, 70, 255]), 1, 2, 4, 2);
    expect(Array.from(out)).toEqual([10, 20, 30, 10, 20, 30, 50, 60, 70, 50, 60, 70]);
  });

  it('refuses an empty image or a short buffer', () => {
    expect(() => boxResizeToSquareRgb(new Uint8Array(0), 0, 3, 4, 2)).toThrow(/no pixels/);
    expect(() => boxResizeToSquareRgb(new Uint8Array(5), 2, 2, 4, 2)).toThrow(/shorter/);
  });
});
