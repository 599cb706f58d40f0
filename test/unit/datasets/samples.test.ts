// The built-in samples register with their known sizes, reproducibly, and load back unchanged.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, type DomainKind } from '../../../shared/domain.ts';
import { loadDataset } from '../../../electron/engine/datasets/load.ts';
import { prepareDataset, type PreparedVersion } from '../../../electron/engine/datasets/prepare.ts';
import { SPLIT_CODE } from '../../../electron/engine/datasets/types.ts';
import { tempDir } from './temp-dirs.ts';

const SAMPLES = join(import.meta.dirname, '../../../resources/samples');

interface SampleCase {
  kind: DomainKind;
  path: string;
  format: string;
  samples: number;
  labels: string[];
}

const CASES: SampleCase[] = [
  { kind: 'syntax', path: 'syntax/brown-upos.conllu', format: 'conllu', samples: 1500, labels: ['ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN', 'PUNCT', 'SCONJ', 'VERB', 'X'] },
  { kind: 'semantics', path: 'semantics/spam-ham.csv', format: 'csv', samples: 1000, labels: ['ham', 'spam'] },
  { kind: 'texture', path: 'texture', format: 'folder', samples: 600, labels: ['checks', 'dots', 'noise', 'stripes'] },
  { kind: 'recommendation', path: 'recommendation/ratings.csv', format: 'csv', samples: 5914, labels: [] },
];

async function prepare(c: SampleCase, seed: number): Promise<{ prepared: PreparedVersion; dir: string }> {
  const dir = await tempDir();
  const result = await prepareDataset(join(SAMPLES, c.path), { kind: c.kind, seed }, dir);
  if (!result.ok) throw new Error(`sample ${c.path} refused: ${JSON.stringify(result.problems)}`);
  return { prepared: result.prepared, dir };
}

describe.each(CASES)('built-in $kind sample', (c) => {
  it('registers with its expected size, labels and a non-empty 80/10/10 split', async () => {
    const { prepared, dir } = await prepare(c, 7);
    expect(prepared.kind).toBe(c.kind);
    expect(prepared.format).toBe(c.format);
    expect(prepared.labels).toEqual(c.labels);
    const { train, validation, test } = prepared.counts;
    expect(train + validation + test).toBe(c.samples);
    expect(Math.min(train, validation, test)).toBeGreaterThan(0);
    expect(test / c.samples).toBeGreaterThan(0.07);
    expect(test / c.samples).toBeLessThan(0.13);
    expect(prepared.version).toMatch(/^[0-9a-f]{64}$/);
    expect(prepared.preview.length).toBe(8);
    expect((await readdir(dir)).sort()).toEqual(['meta.json', 'records.jsonl', 'split.bin']);
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toEqual(prepared);
  });

  it('gives the same version and split when prepared twice, and the version does not depend on the seed', async () => {
    const first = await prepare(c, 11);
    const again = await prepare(c, 11);
    const otherSeed = await prepare(c, 12);
    expect(again.prepared.version).toBe(first.prepared.version);
    expect(otherSeed.prepared.version).toBe(first.prepared.version);
    expect(await readFile(join(again.dir, 'split.bin'))).toEqual(await readFile(join(first.dir, 'split.bin')));
    const differs = !(await readFile(join(otherSeed.dir, 'split.bin'))).equals(await readFile(join(first.dir, 'split.bin')));
    // The recommendation sample has timestamps: its split is by time (latest per user to test), not by seed.
    expect(differs).toBe(c.kind !== 'recommendation');
  });

  it('loads back as the same records, labels and split', async () => {
    const { prepared, dir } = await prepare(c, 3);
    const loaded = await loadDataset(dir, 'sample');
    expect(loaded.name).toBe('sample');
    expect(loaded.kind).toBe(c.kind);
    expect(loaded.version).toBe(prepared.version);
    expect(loaded.labels).toEqual(prepared.labels);
    expect(loaded.records.length).toBe(c.samples);
    expect(loaded.records.slice(0, 8)).toEqual(prepared.preview);
    expect(loaded.split).toEqual(new Uint8Array(await readFile(join(dir, 'split.bin'))));
    const inTest = loaded.split.filter((code) => code === SPLIT_CODE.test).length;
    expect(inTest).toBe(prepared.counts.test);
  });
});

describe('sample contents', () => {
  it('texture records hold IMAGE_SIZE x IMAGE_SIZE RGB pixels and a relative source', async () => {
    const { dir } = await prepare(CASES[2], 1);
    const loaded = await loadDataset(dir, 'texture');
    if (loaded.kind !== 'texture') throw new Error('wrong kind');
    for (const record of loaded.records) expect(Buffer.from(record.pixels, 'base64').length).toBe(IMAGE_SIZE * IMAGE_SIZE * 3);
    expect(loaded.records[0].source).toBe('checks/checks-001.png');
  });

  it('every class of the classification samples is in every split', async () => {
    for (const c of [CASES[1], CASES[2]]) {
      const { prepared } = await prepare(c, 5);
      const bySplit = prepared.stats.labelsBySplit as Record<string, { train: number; validation: number; test: number }>;
      for (const counts of Object.values(bySplit)) expect(Math.min(counts.train, counts.validation, counts.test)).toBeGreaterThan(0);
    }
  });

  it('a loaded folder that was altered is refused', async () => {
    const { dir } = await prepare(CASES[1], 1);
    const records = await readFile(join(dir, 'records.jsonl'), 'utf8');
    await writeFile(join(dir, 'records.jsonl'), records.replace('"label":"spam"', '"label":"ham"'));
    await expect(loadDataset(dir, 'x')).rejects.toThrow(/do not match version/);
  });
});
