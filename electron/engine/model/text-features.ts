// Text tokenizer and feature hashing (fastText-style): every word becomes its own hashed id, its
// shape (case and digits, which lower-casing loses), the hashed character n-grams of `<word>` and,
// where the shape asks for it, the bigram with the word before it; so no domain has
// out-of-vocabulary words and text domains share one embedding table. Settings are written into
// every bundle (see `textSettings`).
import type { ModelShape } from '../../../shared/config.ts';
import { HASH_NAME, hashBucket } from './hash.ts';

export interface TextSettings {
  /** Hash of a feature string; see hash.ts. */
  hash: typeof HASH_NAME;
  /** Features are hashed into [0, buckets). */
  buckets: number;
  /** Words kept per text; later words are dropped. */
  maxTokens: number;
  /** Character n-gram lengths taken from `<word>` (word lower-cased). */
  ngrams: [number, number];
  /** A word's own feature is WORD_PREFIX + word; n-grams are hashed as they are. */
  wordPrefix: string;
  /** Each word also gets SHAPE_PREFIX + its shape (see wordShape). */
  shapePrefix: string;
  /** Each word after the first also gets BIGRAM_PREFIX + previous word + ' ' + word. */
  wordBigrams: boolean;
  bigramPrefix: string;
  /** Words of a free text: this regex (flags gu) over the text; tags and CoNLL-U tokens are used as given. */
  tokenPattern: string;
  lowercase: true;
}

export const TOKEN_PATTERN = "[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}]";
const tokenRegex = new RegExp(TOKEN_PATTERN, 'gu');

export function textSettings(shape: Pick<ModelShape, 'text_buckets' | 'max_tokens' | 'word_bigrams'>): TextSettings {
  const { text_buckets: buckets, max_tokens: maxTokens } = shape;
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`text buckets must be a positive integer, got ${buckets}`);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`max_tokens must be a positive integer, got ${maxTokens}`);
  return { hash: HASH_NAME, buckets, maxTokens, ngrams: [3, 4], wordPrefix: 'w:', shapePrefix: 's:', wordBigrams: shape.word_bigrams, bigramPrefix: 'b:', tokenPattern: TOKEN_PATTERN, lowercase: true };
}

/** Case and digit pattern with repeats collapsed: "McDonald" -> "XxXx", "1990s" -> "dx", "U.S." -> "X.X.". */
export function wordShape(word: string): string {
  let out = '';
  for (const ch of word) {
    const c = /\p{Lu}/u.test(ch) ? 'X' : /\p{L}/u.test(ch) ? 'x' : /\p{N}/u.test(ch) ? 'd' : ch;
    if (!out.endsWith(c)) out += c;
  }
  return out;
}

/** Words (and punctuation marks) of a free text, in their original case. */
export function tokenizeText(text: string): string[] {
  return text.match(tokenRegex) ?? [];
}

/** Bucket ids of one word: its own id first, its shape, its n-grams in order of length and position, then the bigram. */
export function wordFeatureIds(word: string, settings: TextSettings, previous: string | null = null): Int32Array {
  const w = word.toLowerCase();
  const ids: number[] = [hashBucket(settings.wordPrefix + w, settings.buckets), hashBucket(settings.shapePrefix + wordShape(word), settings.buckets)];
  const chars = Array.from(`<${w}>`);
  for (let n = settings.ngrams[0]; n <= settings.ngrams[1]; n++) {
    for (let i = 0; i + n <= chars.length; i++) ids.push(hashBucket(chars.slice(i, i + n).join(''), settings.buckets));
  }
  if (settings.wordBigrams && previous !== null) ids.push(hashBucket(`${settings.bigramPrefix}${previous.toLowerCase()} ${w}`, settings.buckets));
  return Int32Array.from(ids);
}

/** The words one text sample keeps (at most maxTokens, at least one) with their feature ids. */
export interface TextFeatures {
  words: string[];
  features: Int32Array[];
}

/** Features of a word list; an empty list becomes one empty word so that every sample has a token. */
export function featurizeWords(words: readonly string[], settings: TextSettings): TextFeatures {
  const kept = words.length === 0 ? [''] : words.slice(0, settings.maxTokens);
  return { words: kept, features: kept.map((w, i) => wordFeatureIds(w, settings, i > 0 ? kept[i - 1] : null)) };
}
