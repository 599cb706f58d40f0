// Format detection and the (kind, format) combinations that must be refused with a whole-file problem.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainKind } from '../../../shared/domain.ts';
import { chooseFormat } from '../../../electron/engine/datasets/formats.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';
import { tempDir } from './temp-dirs.ts';

describe('chooseFormat', () => {
  it.each([
    ['a.conllu', 'syntax', 'conllu'],
    ['a.conll', 'syntax', 'conllu'],
    ['a.jsonl', 'syntax', 'jsonl'],
    ['a.csv', 'semantics', 'csv'],
    ['a.TSV', 'semantics', 'tsv'],
    ['a.jsonl', 'semantics', 'jsonl'],
    ['list.csv', 'texture', 'csv'],
    ['u.data', 'recommendation', 'movielens'],
    ['ratings.data', 'recommendation', 'movielens'],
    ['r.tsv', 'recommendation', 'tsv'],
  ] as [string, DomainKind, string][])('%s as %s is %s', async (name, kind, format) => {
    const dir = await tempDir();
    await writeFile(join(dir, name), 'x\n');
    expect(await chooseFormat(join(dir, name), kind)).toEqual({ ok: true, format });
  });

  it('sniffs content when the extension says nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.txt'), '\n1\tA\t_\tDET\t_\t_\t_\t_\t_\t_\n');
    await writeFile(join(dir, 'b.txt'), 'text\tlabel\n');
    expect(await chooseFormat(join(dir, 'a.txt'), 'syntax')).toEqual({ ok: true, format: 'conllu' });
    expect(await chooseFormat(join(dir, 'b.txt'), 'semantics')).toEqual({ ok: true, format: 'tsv' });
    expect(await chooseFormat(dir, 'texture')).toEqual({ ok: true, format: 'folder' });
  });
});

describe('invalid kind/format combinations', () => {
  it.each([
    ['texture', 'conllu', 'in.csv', /'conllu' is not a format for texture/],
    ['syntax', undefined, 'in.csv', /a csv file cannot be read as a syntax dataset/],
    ['semantics', 'folder', 'in.csv', /'folder' is not a format for semantics/],
    ['texture', 'folder', 'in.csv', /needs a folder/],
    ['recommendation', undefined, 'folder', /a folder can only be read as a texture dataset/],
    ['texture', 'csv', 'folder', /needs a file/],
  ] as [DomainKind, string | undefined, string, RegExp][])('%s with format %s on %s is a problem with line null', async (kind, format, input, message) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.csv'), 'a,b\n');
    await mkdir(join(dir, 'folder'));
    const workDir = await tempDir();
    const result = await prepareDataset(join(dir, input), { kind, format, seed: 1 }, workDir);
    expect(result).toEqual({ ok: false, problems: [{ file: join(dir, input), line: null, message: expect.stringMatching(message) }], total: 1 });
  });
});
