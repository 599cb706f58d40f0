// Small learnable datasets of every kind, generated from a seed, for engine tests.
import { Buffer } from 'node:buffer';
import type { LoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { createRng, randInt, random01, type Rng } from '../../../electron/engine/rng.ts';

/** 70% train, 15% validation, 15% test, in a seeded order. */
function splitCodes(rng: Rng, n: number): Uint8Array {
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = random01(rng);
    codes[i] = u < 0.7 ? 0 : u < 0.85 ? 1 : 2;
  }
  return codes;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randInt(rng, xs.length)];

/** Sentences DET (ADJ) NOUN VERB DET NOUN (.): each word's tag follows from the word. */
export function syntaxDataset(n = 160, seed = 1, name = 'syn'): LoadedDataset<'syntax'> {
  const rng = createRng(seed);
  const det = ['the', 'a', 'this', 'that', 'every'];
  const adj = ['red', 'big', 'old', 'quick', 'small', 'happy'];
  const noun = ['dog', 'cat', 'house', 'car', 'tree', 'child', 'river', 'book'];
  const verb = ['sees', 'likes', 'finds', 'takes', 'holds', 'moves'];
  const records = Array.from({ length: n }, () => {
    const tokens: string[] = [];
    const tags: string[] = [];
    const add = (w: string, t: string): void => {
      tokens.push(w);
      tags.push(t);
    };
    add(pick(rng, det), 'DET');
    if (random01(rng) < 0.5) add(pick(rng, adj), 'ADJ');
    add(pick(rng, noun), 'NOUN');
    add(pick(rng, verb), 'VERB');
    add(pick(rng, det), 'DET');
    add(pick(rng, noun), 'NOUN');
    if (random01(rng) < 0.7) add('.', 'PUNCT');
    return { tokens, tags };
  });
  return { name, kind: 'syntax', version: `syn-${seed}`, implicit: false, labels: ['ADJ', 'DET', 'NOUN', 'PUNCT', 'VERB'], records, split: splitCodes(rng, n) };
}

/** Texts of 4-9 words: a few class words among shared filler. */
export function semanticsDataset(n = 240, seed = 2, name = 'sem'): LoadedDataset<'semantics'> {
  const rng = createRng(seed);
  const vocab: Record<string, string[]> = {
    sport: ['match', 'goal', 'team', 'score', 'player', 'league'],
    food: ['pasta', 'bread', 'recipe', 'spicy', 'dinner', 'cheese'],
    tech: ['laptop', 'code', 'server', 'phone', 'software', 'chip'],
  };
  const filler = ['the', 'was', 'very', 'and', 'today', 'really', 'we', 'it'];
  const labels = Object.keys(vocab).sort();
  const records = Array.from({ length: n }, () => {
    const label = pick(rng, labels);
    const len = 4 + randInt(rng, 6);
    const words = Array.from({ length: len }, () => (random01(rng) < 0.45 ? pick(rng, vocab[label]) : pick(rng, filler)));
    return { text: words.join(' '), label };
  });
  return { name, kind: 'semantics', version: `sem-${seed}`, implicit: false, labels, records, split: splitCodes(rng, n) };
}

/** 32x32 RGB: horizontal stripes, vertical stripes or checkerboard, random colours and noise. */
export function textureDataset(n = 180, seed = 3, name = 'tex'): LoadedDataset<'texture'> {
  const rng = createRng(seed);
  const labels = ['checker', 'horizontal', 'vertical'];
  const records = Array.from({ length: n }, (_, k) => {
    const label = labels[k % 3];
    const period = 2 + randInt(rng, 2);
    const a = [randInt(rng, 256), randInt(rng, 256), randInt(rng, 256)];
    const b = a.map((v) => (v + 128) % 256);
    const px = new Uint8Array(32 * 32 * 3);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const on = label === 'horizontal' ? Math.floor(y / period) % 2 : label === 'vertical' ? Math.floor(x / period) % 2 : (Math.floor(x / period) + Math.floor(y / period)) % 2;
        for (let c = 0; c < 3; c++) px[(y * 32 + x) * 3 + c] = Math.max(0, Math.min(255, (on ? a[c] : b[c]) + randInt(rng, 41) - 20));
      }
    }
    return { pixels: Buffer.from(px).toString('base64'), label, source: `img${k}.png` };
  });
  return { name, kind: 'texture', version: `tex-${seed}`, implicit: false, labels, records, split: splitCodes(rng, n) };
}

/** Users and items in 3 taste groups: same group rates high, others low (explicit), or only same-group interactions (implicit). */
export function recommendationDataset(n = 900, seed = 4, implicit = false, name = implicit ? 'rec-implicit' : 'rec'): LoadedDataset<'recommendation'> {
  const rng = createRng(seed);
  const users = 40;
  const items = 60;
  const records = Array.from({ length: n }, () => {
    const u = randInt(rng, users);
    let i = randInt(rng, items);
    if (implicit) while (i % 3 !== u % 3) i = randInt(rng, items);
    const same = u % 3 === i % 3;
    const rating = implicit ? 1 : Math.max(1, Math.min(5, Math.round((same ? 4.3 : 1.8) + (random01(rng) - 0.5) * 1.2)));
    return { user: `u${u}`, item: `i${i}`, rating };
  });
  return { name, kind: 'recommendation', version: `rec-${seed}`, implicit, labels: [], records, split: splitCodes(rng, n) };
}
