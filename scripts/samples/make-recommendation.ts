// GENERATES resources/samples/recommendation/ratings.csv: 300 users x 150 items, about 6,000 ratings 1-5
// from a seeded latent-factor model (user and item biases plus a 4-dimensional dot product, plus noise),
// with increasing timestamps per user. Run: npx node scripts/samples/make-recommendation.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seeded } from './seeded.ts';

const OUT_DIR = join(import.meta.dirname, '../../resources/samples/recommendation');
const USERS = 300;
const ITEMS = 150;
const FACTORS = 4;
const MEAN_RATINGS_PER_USER = 20;
const rng = seeded(424242);

const vector = (scale: number): number[] => Array.from({ length: FACTORS }, () => rng.normal() * scale);
const userFactors = Array.from({ length: USERS }, () => vector(0.65));
const itemFactors = Array.from({ length: ITEMS }, () => vector(0.65));
const userBias = Array.from({ length: USERS }, () => rng.normal() * 0.5);
const itemBias = Array.from({ length: ITEMS }, () => rng.normal() * 0.7);
// Popular items are rated more often (Zipf-like weights over a shuffled item order).
const popularity = Array.from({ length: ITEMS }, (_, i) => 1 / (1 + i) ** 0.7);

function pickItem(seen: Set<number>): number {
  const total = popularity.reduce((sum, w, i) => sum + (seen.has(i) ? 0 : w), 0);
  let target = rng.next() * total;
  for (let i = 0; i < ITEMS; i++) {
    if (seen.has(i)) continue;
    target -= popularity[i];
    if (target <= 0) return i;
  }
  return popularity.findIndex((_, i) => !seen.has(i));
}

const START = Date.UTC(2024, 0, 1) / 1000;
const rows: string[] = ['user,item,rating,timestamp'];
for (let u = 0; u < USERS; u++) {
  const count = Math.max(5, Math.min(60, Math.round(MEAN_RATINGS_PER_USER + rng.normal() * 8)));
  const seen = new Set<number>();
  let time = START + rng.int(0, 90 * 86400);
  for (let k = 0; k < count; k++) {
    const i = pickItem(seen);
    seen.add(i);
    const affinity = userFactors[u].reduce((sum, f, d) => sum + f * itemFactors[i][d], 0);
    const rating = Math.max(1, Math.min(5, Math.round(3.4 + userBias[u] + itemBias[i] + affinity + rng.normal() * 0.5)));
    time += rng.int(600, 5 * 86400);
    rows.push(`u${String(u + 1).padStart(3, '0')},i${String(i + 1).padStart(3, '0')},${rating},${time}`);
  }
}
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'ratings.csv'), `${rows.join('\n')}\n`);
console.log(`${rows.length - 1} ratings written to ${OUT_DIR}`);
