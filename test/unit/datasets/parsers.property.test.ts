// Random and mutated inputs to every reader: each call ends in a registered version or a list of
// problems at sane places, never a throw or a hang, and a refused input leaves the work folder empty.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { DomainKind } from '../../../shared/domain.ts';
import { MAX_REPORTED_PROBLEMS } from '../../../electron/engine/datasets/problems.ts';
import { prepareDataset, type PrepareResult } from '../../../electron/engine/datasets/prepare.ts';
import { tempDir } from './temp-dirs.ts';

const RUNS = 60;
const TIMEOUT_MS = 30_000;

/** A small valid input per (kind, format), the starting point for mutations. */
const VALID: { kind: DomainKind; format: string; file: string; text: string }[] = [
  { kind: 'syntax', format: 'conllu', file: 'in.conllu', text: '# c\n1\tA\t_\tDET\t_\t_\t_\t_\t_\t_\n2-3\tdon\'t\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\tAUX\t_\t_\t_\t_\t_\t_\n3\tn\'t\t_\tPART\t_\t_\t_\t_\t_\t_\n\n1\tB\t_\tNOUN\t_\t_\t_\t_\t_\t_\n1.1\tx\t_\tX\t_\t_\t_\t_\t_\t_\n' },
  { kind: 'syntax', format: 'jsonl', file: 'in.jsonl', text: '{"tokens":["a","b"],"tags":["DET","NOUN"]}\n{"tokens":["c"],"tags":["VERB"]}\n' },
  { kind: 'semantics', format: 'csv', file: 'in.csv', text: 'text,label\n"good, ""very""\nnice",pos\nbad,neg\nfine,pos\nawful,neg\n' },
  { kind: 'semantics', format: 'tsv', file: 'in.tsv', text: 'label\ttext\npos\tgood\nneg\tbad\npos\tfine\nneg\tawful\n' },
  { kind: 'semantics', format: 'jsonl', file: 'in.jsonl', text: '{"text":"good","label":"pos"}\n{"text":"bad","label":"neg"}\n{"text":"ok","label":"pos"}\n{"text":"no","label":"neg"}\n' },
  { kind: 'recommendation', format: 'csv', file: 'in.csv', text: 'user,item,rating,timestamp\nu1,i1,4,10\nu1,i2,3,20\nu2,i1,5,30\nu2,i3,1,40\n' },
  { kind: 'recommendation', format: 'tsv', file: 'in.tsv', text: 'u1\ti1\t4\nu1\ti2\t3\nu2\ti1\t5\n' },
  { kind: 'recommendation', format: 'movielens', file: 'u.data', text: '1\t10\t4\t881250949\n2\t20\t3\t881250950\n3\t10\t5\t881250951\n' },
];

type Mutation = { at: number; op: 'delete' | 'insert' | 'duplicate'; text: string };

const ALPHABET = ['\t', ',', '"', '\n', '\r', '{', '}', '[', ']', ':', '_', '#', '-', '.', ' ', 'a', '1', '\u0000', '\u00e9', '\uFFFD', 'NOUN', 'label', 'text', 'user'];

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'insert', 'duplicate'),
  text: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 4 }).map((parts) => parts.join('')),
});

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const { at, op, text: piece } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1 + (at % 3));
    else if (op === 'insert') out = out.slice(0, i) + piece + out.slice(i);
    else {
      const lineStart = out.lastIndexOf('\n', i) + 1;
      const lineEnd = out.indexOf('\n', i);
      const line = out.slice(lineStart, lineEnd === -1 ? out.length : lineEnd + 1);
      out = out.slice(0, lineStart) + line + out.slice(lineStart);
    }
  }
  return out;
}

async function expectWellFormed(result: PrepareResult, workDir: string): Promise<void> {
  if (result.ok) {
    const { train, validation, test } = result.prepared.counts;
    expect(train + validation + test).toBeGreaterThan(0);
    expect((await readdir(workDir)).sort()).toEqual(['meta.json', 'records.jsonl', 'split.bin']);
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.length).toBeLessThanOrEqual(MAX_REPORTED_PROBLEMS);
    expect(result.total).toBeGreaterThanOrEqual(result.problems.length);
    for (const problem of result.problems) {
      expect(problem.line === null || (Number.isInteger(problem.line) && problem.line >= 1)).toBe(true);
      expect(problem.message.length).toBeGreaterThan(0);
    }
    expect(await readdir(workDir)).toEqual([]);
  }
}

async function prepareText(kind: DomainKind, format: string | undefined, file: string, content: string | Uint8Array): Promise<void> {
  const inputDir = await tempDir();
  const workDir = await tempDir();
  try {
    await writeFile(join(inputDir, file), content);
    const result = await prepareDataset(join(inputDir, file), { kind, format, seed: 1 }, workDir);
    await expectWellFormed(result, workDir);
  } finally {
    await Promise.all([rm(inputDir, { recursive: true, force: true }), rm(workDir, { recursive: true, force: true })]);
  }
}

describe.each(VALID)('$kind/$format reader', ({ kind, format, file, text }) => {
  it('accepts the unmutated input', async () => {
    const workDir = await tempDir();
    const inputDir = await tempDir();
    await writeFile(join(inputDir, file), text);
    const result = await prepareDataset(join(inputDir, file), { kind, format, seed: 1 }, workDir);
    expect(result.ok ? 'ok' : result.problems).toBe('ok');
  });

  it('ends in ok or problems for mutated input', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 6 }), async (mutations) => {
        await prepareText(kind, format, file, mutate(text, mutations));
      }),
      { numRuns: RUNS, seed: 20240601 },
    );
  });

  it('ends in ok or problems for random text and bytes, with or without a format', { timeout: TIMEOUT_MS }, async () => {
    const content = fc.oneof(
      fc.array(fc.constantFrom(...ALPHABET), { maxLength: 80 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(content, fc.boolean(), async (input, giveFormat) => {
        await prepareText(kind, giveFormat ? format : undefined, file, input);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });
});

function pngBytes(seed: number, width: number, height: number, colorType: 0 | 2 | 6): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 13 + seed * 29) & 255;
  return PNG.sync.write(image, { colorType });
}

function jpegBytes(seed: number, width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 31) & 255;
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data);
}

describe('texture readers', () => {
  const damage = fc.record({
    jpegFile: fc.boolean(),
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    flips: fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { maxLength: 8 }),
    width: fc.integer({ min: 1, max: 40 }),
    height: fc.integer({ min: 1, max: 40 }),
    listed: fc.boolean(),
  });

  it('ends in ok or problems for truncated and corrupted PNG/JPEG files', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(damage, async ({ jpegFile, cut, flips, width, height, listed }) => {
        const root = await tempDir();
        const workDir = await tempDir();
        try {
          for (const label of ['a', 'b']) {
            await mkdir(join(root, label));
            await writeFile(join(root, label, '1.png'), pngBytes(1, 8, 8, 2));
            await writeFile(join(root, label, '2.png'), pngBytes(2, 9, 7, 0));
          }
          const good = jpegFile ? jpegBytes(3, width, height) : pngBytes(3, width, height, 6);
          const bad = Buffer.from(good.subarray(0, Math.max(1, Math.floor(good.length * (0.5 + cut / 2)))));
          for (const { at, value } of flips) bad[at % bad.length] = value;
          await writeFile(join(root, 'a', jpegFile ? '3.jpg' : '3.png'), bad);
          let input = root;
          if (listed) {
            const rows = ['a/1.png,a', 'a/2.png,a', `a/${jpegFile ? '3.jpg' : '3.png'},a`, 'b/1.png,b', 'b/2.png,b'];
            await writeFile(join(root, 'list.csv'), `path,label\n${rows.join('\n')}\n`);
            input = join(root, 'list.csv');
          }
          await expectWellFormed(await prepareDataset(input, { kind: 'texture', seed: 1 }, workDir), workDir);
        } finally {
          await Promise.all([rm(root, { recursive: true, force: true }), rm(workDir, { recursive: true, force: true })]);
        }
      }),
      { numRuns: RUNS, seed: 99 },
    );
  });
});
