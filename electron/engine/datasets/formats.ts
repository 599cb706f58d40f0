// Which reader a dataset input needs: the requested format checked against the kind, or one detected
// from the path (extension, folder) and, failing that, from the first bytes of the file.
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { FORMATS_OF, type DatasetFormat, type DomainKind } from '../../../shared/domain.ts';

export type FormatChoice = { ok: true; format: DatasetFormat } | { ok: false; message: string };

const FORMAT_BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  '.conllu': 'conllu',
  '.conll': 'conllu',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.data': 'movielens',
};

function allowedFormats(kind: DomainKind): readonly string[] {
  return FORMATS_OF[kind];
}

function isFormatOf(kind: DomainKind, format: string): format is DatasetFormat {
  return allowedFormats(kind).includes(format);
}

async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  } finally {
    await handle.close();
  }
}

function sniff(kind: DomainKind, line: string): DatasetFormat {
  const trimmed = line.trimStart();
  switch (kind) {
    case 'syntax':
      return trimmed.startsWith('{') ? 'jsonl' : 'conllu';
    case 'semantics':
      if (trimmed.startsWith('{')) return 'jsonl';
      return line.includes('\t') ? 'tsv' : 'csv';
    case 'texture':
      return 'csv';
    case 'recommendation':
      return line.includes('\t') ? 'tsv' : 'csv';
  }
}

/** Resolves the format for `inputPath`; `message` says why none fits. Throws only for I/O errors other than a missing path. */
export async function chooseFormat(inputPath: string, kind: DomainKind, requested?: string): Promise<FormatChoice> {
  const allowed = allowedFormats(kind).join(', ');
  if (requested !== undefined && !isFormatOf(kind, requested)) {
    return { ok: false, message: `'${requested}' is not a format for ${kind} datasets (use one of: ${allowed})` };
  }
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(inputPath)).isDirectory();
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, message: code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${(error as Error).message}` };
  }
  if (isDirectory) {
    if (requested !== undefined && requested !== 'folder') return { ok: false, message: `format '${requested}' needs a file, but this is a folder` };
    if (kind !== 'texture') return { ok: false, message: `a folder can only be read as a texture dataset; ${kind} datasets are files (${allowed})` };
    return { ok: true, format: 'folder' };
  }
  if (requested === 'folder') return { ok: false, message: "format 'folder' needs a folder with one sub-folder per class, but this is a file" };
  if (requested !== undefined) return { ok: true, format: requested as DatasetFormat };

  const byName = basename(inputPath).toLowerCase() === 'u.data' ? 'movielens' : FORMAT_BY_EXTENSION[extname(inputPath).toLowerCase()];
  if (byName !== undefined) {
    if (isFormatOf(kind, byName)) return { ok: true, format: byName };
    return { ok: false, message: `a ${byName} file cannot be read as a ${kind} dataset (use one of: ${allowed})` };
  }
  try {
    return { ok: true, format: sniff(kind, await firstLine(inputPath)) };
  } catch (error) {
    return { ok: false, message: `cannot read: ${(error as Error).message}` };
  }
}
