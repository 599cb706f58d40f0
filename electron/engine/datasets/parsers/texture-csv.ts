// A CSV `path,label` listing images, paths relative to the CSV file (header `path,label` optional).
import { dirname, isAbsolute, join } from 'node:path';
import type { FormatReader } from './parser.ts';
import { addReadFailure } from './parser.ts';
import { csvRows } from '../csv-rows.ts';
import { readImageSample } from './image-sample.ts';
import { normalizeLabel } from './text-normalize.ts';

function isHeader(fields: string[]): boolean {
  return fields.length === 2 && fields[0].trim().toLowerCase() === 'path' && fields[1].trim().toLowerCase() === 'label';
}

export const readTextureCsv: FormatReader<'texture'> = async function* (input, _options, { problems }) {
  const base = dirname(input);
  let first = true;
  try {
    for await (const { fields, line } of csvRows(input, ',')) {
      const header = first && isHeader(fields);
      first = false;
      if (header) continue;
      if (fields.length !== 2) {
        problems.add(input, line, `expected 2 fields (path,label), found ${fields.length}`);
        continue;
      }
      const path = fields[0].trim();
      const label = normalizeLabel(fields[1]);
      if (path === '') problems.add(input, line, 'empty path');
      if (label === '') problems.add(input, line, 'empty label');
      if (path === '' || label === '') continue;
      const file = isAbsolute(path) ? path : join(base, path);
      const sample = await readImageSample(file, label, path.replaceAll('\\', '/'), problems, { file: input, line });
      if (sample) yield sample;
    }
    if (first) problems.add(input, null, 'the file lists no images');
  } catch (error) {
    addReadFailure(problems, input, error);
  }
};
