// Every malformed fixture is refused, with the problem at the right file and line, and nothing is
// left in the work folder.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainKind } from '../../../shared/domain.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';
import { tempDir } from './temp-dirs.ts';

const MALFORMED = join(import.meta.dirname, '../../fixtures/datasets/malformed');

interface MalformedCase {
  kind: DomainKind;
  /** Input, relative to malformed/<kind>/. */
  input: string;
  format?: string;
  /** File of the expected problem, relative to malformed/<kind>/. */
  file: string;
  line: number | null;
  message: RegExp;
}

const CASES: MalformedCase[] = [
  { kind: 'syntax', input: 'mismatched-tags.jsonl', file: 'mismatched-tags.jsonl', line: 2, message: /3 tokens but 2 tags/ },
  { kind: 'syntax', input: 'bad-json.jsonl', file: 'bad-json.jsonl', line: 3, message: /malformed JSON/ },
  { kind: 'syntax', input: 'one-tag.jsonl', file: 'one-tag.jsonl', line: null, message: /fewer than two tags/ },
  { kind: 'syntax', input: 'wrong-columns.conllu', file: 'wrong-columns.conllu', line: 5, message: /expected 10 tab-separated columns, found 9/ },
  { kind: 'syntax', input: 'missing-upos.conllu', file: 'missing-upos.conllu', line: 2, message: /missing UPOS/ },
  { kind: 'syntax', input: 'binary.conllu', file: 'binary.conllu', line: null, message: /not a text file/ },
  { kind: 'syntax', input: 'invalid-utf8.conllu', file: 'invalid-utf8.conllu', line: 4, message: /not valid UTF-8/ },
  { kind: 'semantics', input: 'missing-column.csv', file: 'missing-column.csv', line: 1, message: /missing column 'text'/ },
  { kind: 'semantics', input: 'empty-text.csv', file: 'empty-text.csv', line: 5, message: /empty text/ },
  { kind: 'semantics', input: 'one-class.csv', file: 'one-class.csv', line: null, message: /fewer than two classes/ },
  { kind: 'semantics', input: 'singleton-class.csv', file: 'singleton-class.csv', line: null, message: /class 'neutral' has 1 sample/ },
  { kind: 'semantics', input: 'binary.csv', file: 'binary.csv', line: null, message: /not a text file/ },
  { kind: 'semantics', input: 'bad-json.jsonl', file: 'bad-json.jsonl', line: 2, message: /malformed JSON/ },
  { kind: 'semantics', input: 'unclosed-quote.csv', file: 'unclosed-quote.csv', line: 3, message: /malformed CSV/ },
  { kind: 'semantics', input: 'multiline-then-bad.csv', file: 'multiline-then-bad.csv', line: 4, message: /expected 2 fields/ },
  { kind: 'texture', input: 'truncated-png', file: 'truncated-png/a/broken.png', line: null, message: /cannot decode PNG/ },
  { kind: 'texture', input: 'one-class', file: 'one-class', line: null, message: /fewer than two classes/ },
  { kind: 'texture', input: 'singleton', file: 'singleton', line: null, message: /class 'b' has 1 sample/ },
  { kind: 'texture', input: 'not-an-image', file: 'not-an-image/b/fake.png', line: null, message: /not a PNG or JPEG/ },
  { kind: 'texture', input: 'listing/missing-image.csv', file: 'listing/missing-image.csv', line: 3, message: /image 'images\/nope.png' not found/ },
  { kind: 'texture', input: 'listing/bad-fields.csv', file: 'listing/bad-fields.csv', line: 2, message: /expected 2 fields/ },
  { kind: 'texture', input: 'listing/binary.csv', file: 'listing/binary.csv', line: null, message: /not a text file/ },
  { kind: 'recommendation', input: 'bad-rating.csv', file: 'bad-rating.csv', line: 3, message: /rating 'five' is not a number/ },
  { kind: 'recommendation', input: 'missing-column.csv', file: 'missing-column.csv', line: 1, message: /missing column 'rating'/ },
  { kind: 'recommendation', input: 'wrong-fields.data', file: 'wrong-fields.data', line: 2, message: /expected 4 fields, found 3/ },
  { kind: 'recommendation', input: 'binary.csv', file: 'binary.csv', line: null, message: /not a text file/ },
  { kind: 'recommendation', input: 'bad-timestamp.tsv', file: 'bad-timestamp.tsv', line: 4, message: /timestamp 'yesterday' is not a number/ },
  { kind: 'recommendation', input: 'empty-user.csv', file: 'empty-user.csv', line: 2, message: /empty user/ },
];

describe('malformed inputs', () => {
  it.each(CASES)('$kind/$input is refused at $file line $line', async (c) => {
    const workDir = await tempDir();
    const base = join(MALFORMED, c.kind);
    const result = await prepareDataset(join(base, c.input), { kind: c.kind, format: c.format, seed: 1 }, workDir);
    if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.prepared.counts)}`);
    expect(result.total).toBeGreaterThanOrEqual(result.problems.length);
    expect(result.problems).toContainEqual({ file: join(base, c.file), line: c.line, message: expect.stringMatching(c.message) });
    expect(await readdir(workDir)).toEqual([]);
  });

  it('a missing input is a problem, not a throw', async () => {
    const workDir = await tempDir();
    const result = await prepareDataset(join(MALFORMED, 'no-such-file.csv'), { kind: 'semantics', seed: 1 }, workDir);
    expect(result).toEqual({ ok: false, problems: [{ file: join(MALFORMED, 'no-such-file.csv'), line: null, message: 'no such file or folder' }], total: 1 });
    expect(await readdir(workDir)).toEqual([]);
  });

  it('reports every bad line (up to 50) and counts the rest', async () => {
    const dir = await tempDir();
    const rows = Array.from({ length: 120 }, (_, i) => `u${i},i${i},bad${i}`);
    await writeFile(join(dir, 'ratings.csv'), `user,item,rating\n${rows.join('\n')}\n`);
    const result = await prepareDataset(join(dir, 'ratings.csv'), { kind: 'recommendation', seed: 1 }, await tempDir());
    if (result.ok) throw new Error('accepted');
    expect(result.total).toBe(120);
    expect(result.problems.length).toBe(50);
    expect(result.problems.map((p) => p.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
  });
});
