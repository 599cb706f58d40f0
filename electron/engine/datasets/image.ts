// Reads a PNG or JPEG file and brings it to the model's input: IMAGE_SIZE x IMAGE_SIZE RGB.
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { IMAGE_SIZE } from '../../../shared/domain.ts';
import { boxResizeToSquareRgb } from './box-resize.ts';

/** Larger images are refused before decoding so that one file cannot exhaust memory. */
export const MAX_IMAGE_MEGAPIXELS = 64;

export interface DecodedImage {
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8Array;
  width: number;
  height: number;
}

export interface SquareImage {
  /** IMAGE_SIZE * IMAGE_SIZE * 3 bytes, row-major RGB. */
  pixels: Uint8Array;
  /** Size of the source image before resizing. */
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(PNG_SIGNATURE);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function checkArea(width: number, height: number): void {
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1024 * 1024) {
    throw new Error(`image is too large (${width}x${height}; at most ${MAX_IMAGE_MEGAPIXELS} megapixels)`);
  }
}

/** Decodes PNG (any bit depth, grey, palette, alpha) or baseline/progressive JPEG to RGBA. Throws a clear Error. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(buffer)) {
    // IHDR sits right after the signature: width and height at bytes 16..23.
    if (buffer.length >= 24) checkArea(buffer.readUInt32BE(16), buffer.readUInt32BE(20));
    try {
      const png = PNG.sync.read(buffer);
      return { rgba: png.data, width: png.width, height: png.height };
    } catch (error) {
      throw new Error(`cannot decode PNG (truncated or corrupt): ${(error as Error).message}`, { cause: error });
    }
  }
  if (isJpeg(buffer)) {
    try {
      const image = jpeg.decode(buffer, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
        maxMemoryUsageInMB: 1024,
      });
      return { rgba: image.data, width: image.width, height: image.height };
    } catch (error) {
      throw new Error(`cannot decode JPEG (truncated or corrupt): ${(error as Error).message}`, { cause: error });
    }
  }
  throw new Error('not a PNG or JPEG image');
}

/** Decodes and resizes image bytes to the model's square RGB input. */
export function imageToSquare(bytes: Uint8Array): SquareImage {
  const image = decodeImage(bytes);
  if (image.width < 1 || image.height < 1) throw new Error('image has no pixels');
  return { pixels: boxResizeToSquareRgb(image.rgba, image.width, image.height, 4, IMAGE_SIZE), width: image.width, height: image.height };
}

/**
 * Reads a PNG/JPEG file as IMAGE_SIZE x IMAGE_SIZE RGB; `width` and `height` describe the returned
 * pixels (both IMAGE_SIZE). Throws a clear Error on unreadable or undecodable input.
 */
export async function readImageFile(path: string): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  const bytes = await readFile(path);
  try {
    return { pixels: imageToSquare(bytes).pixels, width: IMAGE_SIZE, height: IMAGE_SIZE };
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}
