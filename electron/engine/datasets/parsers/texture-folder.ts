// A folder with one sub-folder per class holding PNG/JPEG files (sub-folders inside a class belong to it).
// Classes and files are read in sorted order so that the same tree always gives the same version.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FormatReader } from './parser.ts';
import { describeError } from '../problems.ts';
import { hasImageExtension, readImageSample } from './image-sample.ts';
import { normalizeLabel } from './text-normalize.ts';

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isHidden(name: string): boolean {
  return name.startsWith('.');
}

export const readTextureFolder: FormatReader<'texture'> = async function* (input, _options, { problems, warnings }) {
  let top;
  try {
    top = await readdir(input, { withFileTypes: true });
  } catch (error) {
    problems.add(input, null, `cannot read the folder: ${describeError(error)}`);
    return;
  }
  const classes = top.filter((entry) => entry.isDirectory() && !isHidden(entry.name)).map((entry) => entry.name).sort(byCodeUnits);
  const looseImages = top.filter((entry) => entry.isFile() && hasImageExtension(entry.name));
  if (looseImages.length > 0) {
    problems.add(join(input, looseImages[0].name), null, `${looseImages.length} image(s) lie directly in the folder; put each image in a sub-folder named after its class`);
  }
  if (classes.length === 0) {
    problems.add(input, null, 'no class sub-folders: expected one sub-folder per class holding PNG/JPEG images');
    return;
  }
  let skipped = 0;
  for (const className of classes) {
    const classDir = join(input, className);
    let files: string[];
    try {
      const entries = await readdir(classDir, { withFileTypes: true, recursive: true });
      const all = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
      // Hidden files and folders (.DS_Store, .git) are not data.
      const visible = all.filter((file) => !relative(classDir, file).split(sep).some(isHidden));
      files = visible.filter((file) => hasImageExtension(file)).sort(byCodeUnits);
      skipped += visible.length - files.length;
    } catch (error) {
      problems.add(classDir, null, `cannot read the class folder: ${describeError(error)}`);
      continue;
    }
    if (files.length === 0) {
      problems.add(classDir, null, `class '${className}' has no PNG/JPEG images`);
      continue;
    }
    const label = normalizeLabel(className);
    for (const file of files) {
      const source = relative(input, file).split(sep).join('/');
      const sample = await readImageSample(file, label, source, problems);
      if (sample) yield sample;
    }
  }
  if (skipped > 0) warnings.push(`${skipped} file(s) in class folders are not PNG/JPEG (by extension) and were skipped`);
};
