// Text tokenizer and feature hashing (fastText-style): every word becomes its own hashed id plus
// the hashed character n-grams of `<word>`, so no domain has out-of-vocabulary words and text
// domains share one embedding table. Settings are written into every bundle (see `textSettings`).
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
  /** Words of a free text: this regex (flags gu) over the text; tags and CoNLL-U tokens are used as given. */
  tokenPattern: string;
  lowercase: true;
}

export const TOKEN_PATTERN = "[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}]";
const tokenRegex = new RegExp(TOKEN_PATTERN, 'gu');

export function textSettings(buckets: number, maxTokens: number): TextSettings {
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`text buckets must be a positive integer, got ${buckets}`);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`max_tokens must be a positive integer, got ${maxTokens}`);
  return { hash: HASH_NAME, buckets, maxTokens, ngrams: [3, 4], wordPrefix: 'w:', tokenPattern: TOKEN_PATTERN, lowercase: true };
}

/** Words (and punctuation marks) of a free text, in their original case. */
export function tokenizeText(text: string): string[] {
  return text.match(tokenRegex) ?? [];
}

/** Bucket ids of one word: its own id first, then its n-grams in order of length and position. */
export function wordFeatureIds(word: string, settings: TextSettings): Int32Array {
  const w = word.toLowerCase();
  const ids: number[] = [hashBucket(settings.wordPrefix + w, settings.buckets)];
  const chars = Array.from(`<${w}>`);
  for (let n = settings.ngrams[0]; n <= settings.ngrams[1]; n++) {
    for (let i = 0; i + n <= chars.length; i++) ids.push(hashBucket(chars.slice(i, i + n).join(''), settings.buckets));
  }
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
  return { words: kept, features: kept.map((w) => wordFeatureIds(w, settings)) };
}
