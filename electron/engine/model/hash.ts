// The one string hash of the engine: 32-bit FNV-1a over the UTF-8 bytes. Feature hashing of
// words, character n-grams and user/item ids uses it, and bundles name it ("fnv1a-32-utf8"), so
// any runtime can reproduce the bucket of a string.

export const HASH_NAME = 'fnv1a-32-utf8';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a 32-bit of the UTF-8 encoding of s, as an unsigned integer. */
export function fnv1a32(s: string): number {
  const bytes = utf8.encode(s);
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Bucket of s among `buckets`. */
export function hashBucket(s: string, buckets: number): number {
  return fnv1a32(s) % buckets;
}
