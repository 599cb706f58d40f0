// The built-in samples carry signal: a simple baseline trained on the train split clearly beats chance
// on the test split. (The project's models must do at least this well.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyLoadedDataset, LoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { SPLIT_CODE } from '../../../electron/engine/datasets/types.ts';
import { loadDataset } from '../../../electron/engine/datasets/load.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';
import type { DomainKind } from '../../../shared/domain.ts';
import { IMAGE_SIZE } from '../../../shared/domain.ts';
import { tempDir } from './temp-dirs.ts';

const SAMPLES = join(import.meta.dirname, '../../../resources/samples');

async function sample<K extends DomainKind>(kind: K, path: string): Promise<LoadedDataset<K>> {
  const dir = await tempDir();
  const result = await prepareDataset(join(SAMPLES, path), { kind, seed: 1 }, dir);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const loaded: AnyLoadedDataset = await loadDataset(dir, kind);
  return loaded as LoadedDataset<K>;
}

function part<T>(records: T[], split: Uint8Array, code: number): T[] {
  return records.filter((_, i) => split[i] === code);
}

function majorityShare(labels: string[]): number {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

describe('built-in samples are learnable', () => {
  it('syntax: most frequent tag per word beats always guessing the commonest tag', async () => {
    const data = await sample('syntax', 'syntax/brown-upos.conllu');
    const byWord = new Map<string, Map<string, number>>();
    for (const { tokens, tags } of part(data.records, data.split, SPLIT_CODE.train)) {
      tokens.forEach((token, i) => {
        const counts = byWord.get(token.toLowerCase()) ?? new Map<string, number>();
        counts.set(tags[i], (counts.get(tags[i]) ?? 0) + 1);
        byWord.set(token.toLowerCase(), counts);
      });
    }
    const test = part(data.records, data.split, SPLIT_CODE.test);
    const gold = test.flatMap((r) => r.tags);
    const guess = test.flatMap((r) => r.tokens.map((t) => [...(byWord.get(t.toLowerCase()) ?? new Map([['NOUN', 1]]))].sort((a, b) => b[1] - a[1])[0][0]));
    const accuracy = guess.filter((tag, i) => tag === gold[i]).length / gold.length;
    expect(majorityShare(gold)).toBeLessThan(0.3);
    expect(accuracy).toBeGreaterThan(0.75);
  });

  it('semantics: naive Bayes over words beats the majority class', async () => {
    const data = await sample('semantics', 'semantics/spam-ham.csv');
    const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9$!]+/g) ?? [];
    const counts = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    for (const { text, label } of part(data.records, data.split, SPLIT_CODE.train)) {
      const perLabel = counts.get(label) ?? new Map<string, number>();
      for (const word of words(text)) perLabel.set(word, (perLabel.get(word) ?? 0) + 1);
      counts.set(label, perLabel);
      totals.set(label, (totals.get(label) ?? 0) + words(text).length);
    }
    const test = part(data.records, data.split, SPLIT_CODE.test);
    const predict = (text: string): string =>
      [...counts.keys()]
        .map((label) => [label, words(text).reduce((sum, w) => sum + Math.log(((counts.get(label) as Map<string, number>).get(w) ?? 0) + 1) - Math.log((totals.get(label) as number) + 50000), 0)] as const)
        .sort((a, b) => b[1] - a[1])[0][0];
    const accuracy = test.filter((r) => predict(r.text) === r.label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.85);
  });

  it('texture: nearest centroid on gradient and noise features beats chance (25%)', async () => {
    const data = await sample('texture', 'texture');
    // Colour-independent features: mean absolute difference to the right, below, and diagonal neighbours,
    // each relative to the overall contrast.
    const features = (pixels: string): number[] => {
      const p = Buffer.from(pixels, 'base64');
      const grey = (x: number, y: number): number => { const i = (y * IMAGE_SIZE + x) * 3; return p[i] + p[i + 1] + p[i + 2]; };
      const diff = [0, 0, 0, 0];
      let mean = 0;
      for (let y = 0; y < IMAGE_SIZE - 1; y++) for (let x = 0; x < IMAGE_SIZE - 1; x++) {
        diff[0] += Math.abs(grey(x, y) - grey(x + 1, y));
        diff[1] += Math.abs(grey(x, y) - grey(x, y + 1));
        diff[2] += Math.abs(grey(x, y) - grey(x + 1, y + 1));
        diff[3] += Math.abs(grey(x + 1, y) - grey(x, y + 1));
        mean += grey(x, y);
      }
      let spread = 0;
      for (let y = 0; y < IMAGE_SIZE - 1; y++) for (let x = 0; x < IMAGE_SIZE - 1; x++) spread += Math.abs(grey(x, y) - mean / (IMAGE_SIZE - 1) ** 2);
      const sorted = [Math.min(diff[0], diff[1]), Math.max(diff[0], diff[1]), Math.min(diff[2], diff[3]), Math.max(diff[2], diff[3])];
      return sorted.map((d) => d / (spread + 1));
    };
    const centroids = new Map<string, { sum: number[]; n: number }>();
    for (const { pixels, label } of part(data.records, data.split, SPLIT_CODE.train)) {
      const f = features(pixels);
      const c = centroids.get(label) ?? { sum: f.map(() => 0), n: 0 };
      f.forEach((v, i) => (c.sum[i] += v));
      c.n++;
      centroids.set(label, c);
    }
    const test = [...part(data.records, data.split, SPLIT_CODE.test), ...part(data.records, data.split, SPLIT_CODE.validation)];
    const predict = (pixels: string): string => {
      const f = features(pixels);
      return [...centroids].map(([label, c]) => [label, c.sum.reduce((d, s, i) => d + (s / c.n - f[i]) ** 2, 0)] as const).sort((a, b) => a[1] - b[1])[0][0];
    };
    const accuracy = test.filter((r) => predict(r.pixels) === r.label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.5);
  });

  it('recommendation: user and item biases beat the global mean on RMSE', async () => {
    const data = await sample('recommendation', 'recommendation/ratings.csv');
    const train = part(data.records, data.split, SPLIT_CODE.train);
    const test = part(data.records, data.split, SPLIT_CODE.test);
    const mean = train.reduce((s, r) => s + r.rating, 0) / train.length;
    const bias = (key: (r: (typeof train)[number]) => string, residual: (r: (typeof train)[number]) => number): Map<string, number> => {
      const sums = new Map<string, [number, number]>();
      for (const r of train) {
        const [s, n] = sums.get(key(r)) ?? [0, 0];
        sums.set(key(r), [s + residual(r), n + 1]);
      }
      // Shrunk towards zero (5 pseudo-ratings) so that rare users and items do not overfit.
      return new Map([...sums].map(([k, [s, n]]) => [k, s / (n + 5)]));
    };
    const itemBias = bias((r) => r.item, (r) => r.rating - mean);
    const userBias = bias((r) => r.user, (r) => r.rating - mean - (itemBias.get(r.item) ?? 0));
    const rmse = (predict: (r: (typeof test)[number]) => number): number => Math.sqrt(test.reduce((s, r) => s + (predict(r) - r.rating) ** 2, 0) / test.length);
    const globalRmse = rmse(() => mean);
    const biasRmse = rmse((r) => mean + (userBias.get(r.user) ?? 0) + (itemBias.get(r.item) ?? 0));
    expect(biasRmse).toBeLessThan(globalRmse * 0.9);
  });
});
