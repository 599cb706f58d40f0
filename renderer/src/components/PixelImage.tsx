// Draws base64 RGB pixels (IMAGE_SIZE x IMAGE_SIZE x 3, row-major) on a canvas, scaled up with
// crisp pixels: the exact image the model sees.
import { useEffect, useRef } from 'react';
import { IMAGE_SIZE } from '../../../shared/domain.ts';

export function decodeRgb(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function PixelImage({ pixels, label, scale = 3 }: { pixels: string; label: string; scale?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const rgb = decodeRgb(pixels);
    const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) {
      image.data[p * 4] = rgb[p * 3] ?? 0;
      image.data[p * 4 + 1] = rgb[p * 3 + 1] ?? 0;
      image.data[p * 4 + 2] = rgb[p * 3 + 2] ?? 0;
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={canvas}
      className="pixel-image"
      width={IMAGE_SIZE}
      height={IMAGE_SIZE}
      style={{ width: IMAGE_SIZE * scale, height: IMAGE_SIZE * scale }}
      role="img"
      aria-label={label}
    />
  );
}
