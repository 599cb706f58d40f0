// One image file turned into a texture record, or a problem naming the file.
import { readFile } from 'node:fs/promises';
import { imageToSquare } from '../image.ts';
import { describeError, type ProblemList } from '../problems.ts';
import type { Parsed } from './parser.ts';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot !== -1 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** Reads and decodes `file`; adds a problem (line null, or `line` of a listing file) when it cannot. */
export async function readImageSample(file: string, label: string, source: string, problems: ProblemList, where?: { file: string; line: number }): Promise<Parsed<'texture'> | null> {
  try {
    const square = imageToSquare(await readFile(file));
    return {
      record: { pixels: Buffer.from(square.pixels).toString('base64'), label, source },
      imageSize: { width: square.width, height: square.height },
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (where && code === 'ENOENT') problems.add(where.file, where.line, `image '${source}' not found`);
    else problems.add(file, null, `cannot use image: ${describeError(error)}`);
    return null;
  }
}
