// What each reader keeps, skips and normalizes, checked on small inputs with known records.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, type DomainKind } from '../../../shared/domain.ts';
import { readImageFile } from '../../../electron/engine/datasets/image.ts';
import { prepareDataset, type PreparedVersion, type PrepareOptions } from '../../../electron/engine/datasets/prepare.ts';
import { tempDir } from './temp-dirs.ts';

async function prepareContent(file: string, content: string, options: Partial<PrepareOptions> & { kind: DomainKind }): Promise<{ prepared: PreparedVersion; records: unknown[] }> {
  const inputDir = await tempDir();
  const workDir = await tempDir();
  await writeFile(join(inputDir, file), content);
  const result = await prepareDataset(join(inputDir, file), { seed: 1, ...options }, workDir);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const lines = (await readFile(join(workDir, 'records.jsonl'), 'utf8')).trim().split('\n');
  return { prepared: result.prepared, records: lines.map((line) => JSON.parse(line)) };
}

const word = (id: string, form: string, upos: string): string => [id, form, '_', upos, '_', '_', '_', '_', '_', '_'].join('\t');

describe('CoNLL-U', () => {
  it('keeps word lines and skips comments, multi-word ranges and empty nodes', async () => {
    const text = ['# sent_id = 1', '# text = I don\'t', word('1', 'I', 'PRON'), word('2-3', "don't", '_'), word('2', 'do', 'AUX'), word('3', "n't", 'PART'), word('3.1', 'x', 'X'), '', word('1', 'Go', 'VERB'), word('2', '!', 'PUNCT')].join('\r\n');
    const { records, prepared } = await prepareContent('s.conllu', text, { kind: 'syntax' });
    expect(records).toEqual([
      { tokens: ['I', 'do', "n't"], tags: ['PRON', 'AUX', 'PART'] },
      { tokens: ['Go', '!'], tags: ['VERB', 'PUNCT'] },
    ]);
    expect(prepared.labels).toEqual(['AUX', 'PART', 'PRON', 'PUNCT', 'VERB']);
    expect(prepared.stats.sentenceLength).toEqual({ min: 2, mean: 2.5, max: 3, p95: 3 });
  });

  it('warns about very long sentences', async () => {
    const long = Array.from({ length: 101 }, (_, i) => word(String(i + 1), `w${i}`, i % 2 ? 'NOUN' : 'VERB'));
    const { prepared } = await prepareContent('s.conll', [...long, ''].join('\n'), { kind: 'syntax' });
    expect(prepared.warnings).toContainEqual(expect.stringMatching(/1 very long sentence/));
  });
});

describe('semantics tables', () => {
  it('reads quoted multi-line fields and chosen columns, trimming outer whitespace', async () => {
    const csv = 'id,review,stars\n1,"Great\nproduct, ""really""",5\n2,  bad  ,1\n3,ok,5\n4,meh,1\n';
    const { records, prepared } = await prepareContent('r.csv', csv, { kind: 'semantics', textCol: 'review', labelCol: 'stars' });
    expect(records.slice(0, 2)).toEqual([{ text: 'Great\nproduct, "really"', label: '5' }, { text: 'bad', label: '1' }]);
    expect(prepared.stats.labelHistogram).toEqual({ 1: 2, 5: 2 });
  });

  it('warns about class imbalance and duplicates', async () => {
    const rows = [...Array.from({ length: 22 }, (_, i) => `text ${i},big`), 'x,small', 'x,small'];
    const { prepared } = await prepareContent('r.tsv', `text\tlabel\n${rows.map((r) => r.replace(',', '\t')).join('\n')}\n`, { kind: 'semantics' });
    expect(prepared.format).toBe('tsv');
    expect(prepared.warnings).toContainEqual(expect.stringMatching(/class imbalance: 'big' has 22 samples, 'small' only 2/));
    expect(prepared.warnings).toContainEqual(expect.stringMatching(/^1 duplicate/));
  });

  it('detects JSONL by content and takes numeric labels as text', async () => {
    const jsonl = '{"text":"a","label":0}\n\n{"text":"b","label":1}\n{"text":"c","label":0}\n{"text":"d","label":1}\n';
    const { prepared, records } = await prepareContent('data.txt', jsonl, { kind: 'semantics' });
    expect(prepared.format).toBe('jsonl');
    expect(records[0]).toEqual({ text: 'a', label: '0' });
  });
});

describe('interactions', () => {
  it('detects a header with MovieLens names and keeps timestamps', async () => {
    const { records, prepared } = await prepareContent('ratings.csv', 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3,1260759179\n', { kind: 'recommendation' });
    expect(records).toEqual([{ user: '1', item: '31', rating: 2.5, timestamp: 1260759144 }, { user: '1', item: '1029', rating: 3, timestamp: 1260759179 }]);
    expect(prepared.stats.users).toBe(1);
  });

  it('reads headerless u.data and makes everything positive when implicit', async () => {
    const { records, prepared } = await prepareContent('u.data', '196\t242\t3\t881250949\n186\t302\t1\t891717742\n', { kind: 'recommendation', implicit: true });
    expect(prepared.format).toBe('movielens');
    expect(prepared.implicit).toBe(true);
    expect(records).toEqual([{ user: '196', item: '242', rating: 1, timestamp: 881250949 }, { user: '186', item: '302', rating: 1, timestamp: 891717742 }]);
    expect(prepared.warnings).toContainEqual(expect.stringMatching(/2 user\(s\) with a single rating/));
  });

  it('splits interactions without timestamps at random, by seed', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `u${i % 7},i${i},${(i % 5) + 1}`).join('\n');
    const first = await prepareContent('r.csv', rows, { kind: 'recommendation', seed: 1 });
    const second = await prepareContent('r.csv', rows, { kind: 'recommendation', seed: 2 });
    expect(first.prepared.stats.splitBy).toBe('seeded random');
    expect(first.prepared.version).toBe(second.prepared.version);
    expect(first.prepared.counts).toEqual({ train: 48, validation: 6, test: 6 });
  });
});

describe('images', () => {
  function pngFile(width: number, height: number, colorType: 0 | 2 | 4 | 6, value: number): Buffer {
    const image = new PNG({ width, height });
    image.data.fill(value);
    // A faint alpha where the PNG keeps one (the writer blends alpha away for types without it).
    const alpha = colorType === 4 || colorType === 6 ? 10 : 255;
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = alpha;
    return PNG.sync.write(image, { colorType });
  }

  it('decodes grey, grey+alpha and RGBA PNG and JPEG to IMAGE_SIZE RGB, alpha dropped', async () => {
    const dir = await tempDir();
    for (const colorType of [0, 4, 6] as const) {
      await writeFile(join(dir, `${colorType}.png`), pngFile(7, 50, colorType, 123));
      const image = await readImageFile(join(dir, `${colorType}.png`));
      expect(image.width).toBe(IMAGE_SIZE);
      expect(image.height).toBe(IMAGE_SIZE);
      expect(image.pixels.length).toBe(IMAGE_SIZE * IMAGE_SIZE * 3);
      expect(image.pixels.every((v) => v === 123)).toBe(true);
    }
    const raw = { width: 64, height: 48, data: Buffer.alloc(64 * 48 * 4, 200) };
    await writeFile(join(dir, 'photo.jpg'), jpeg.encode(raw, 95).data);
    const photo = await readImageFile(join(dir, 'photo.jpg'));
    expect(photo.pixels.every((v) => Math.abs(v - 200) <= 2)).toBe(true);
  });

  it('throws a clear error for a file that is not an image', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'x.png'), 'hello');
    await expect(readImageFile(join(dir, 'x.png'))).rejects.toThrow(/x\.png: not a PNG or JPEG image/);
  });

  it('registers a CSV listing and a folder with nested files and non-images, and warns about mixed sizes', async () => {
    const root = await tempDir();
    for (const label of ['cat', 'dog']) {
      await mkdir(join(root, label, 'more'), { recursive: true });
      await writeFile(join(root, label, '1.png'), pngFile(8, 8, 2, 10));
      await writeFile(join(root, label, 'more', '2.PNG'), pngFile(16, 12, 2, 20));
      await writeFile(join(root, label, 'notes.txt'), 'not an image');
      await writeFile(join(root, label, '.DS_Store'), 'hidden');
    }
    const workDir = await tempDir();
    const folder = await prepareDataset(root, { kind: 'texture', seed: 1 }, workDir);
    if (!folder.ok) throw new Error(JSON.stringify(folder.problems));
    expect(folder.prepared.stats.imageSizes).toEqual({ '16x12': 2, '8x8': 2 });
    expect(folder.prepared.preview.map((r) => r.source)).toEqual(['cat/1.png', 'cat/more/2.PNG', 'dog/1.png', 'dog/more/2.PNG']);
    expect(folder.prepared.warnings).toContainEqual(expect.stringMatching(/2 file\(s\) in class folders are not PNG\/JPEG/));
    expect(folder.prepared.warnings).toContainEqual(expect.stringMatching(/mixed image sizes/));

    await writeFile(join(root, 'list.csv'), 'cat/1.png,cat\ncat/more/2.PNG,cat\ndog/1.png,dog\ndog/more/2.PNG,dog\n');
    const listed = await prepareDataset(join(root, 'list.csv'), { kind: 'texture', seed: 1 }, await tempDir());
    if (!listed.ok) throw new Error(JSON.stringify(listed.problems));
    // Same images, labels and sources in the same order: the same version as the folder.
    expect(listed.prepared.version).toBe(folder.prepared.version);
  });
});
