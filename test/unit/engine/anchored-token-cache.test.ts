// An expert trained against a frozen anchor reads each training record's tokens from the frozen
// token cache (data/token-cache.ts) instead of encoding every batch: with dropout on, the
// trained weights and test metrics are exactly those of encoding every batch.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnchorConfig, ExpertConfig } from '../../../shared/config.ts';
import type * as tokenCache from '../../../electron/engine/data/token-cache.ts';
import { readSnapshot } from '../../../electron/engine/bundle/load.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { trainAnchor, trainExpert } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { semanticsDataset, syntaxDataset } from './synthetic.ts';

/** When set, the cache holds no domain, so every batch is encoded as before the cache. */
const off = { value: false };
const filled: number[] = [];
vi.mock('../../../electron/engine/data/token-cache.ts', async (importOriginal) => {
  const original = await importOriginal<typeof tokenCache>();
  return {
    ...original,
    cacheFrozenTokens: (...args: Parameters<typeof original.cacheFrozenTokens>) => {
      const cache = original.cacheFrozenTokens(...args);
      filled.push(cache.domains.filter((d) => d !== null).length);
      return off.value ? { ...cache, domains: cache.domains.map(() => null) } : cache;
    },
  };
});

const small = { dim: 16, hidden: 32, text_buckets: 512 };
const syn = syntaxDataset(160);
const sem = semanticsDataset(240);
let root: string;

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-anchored-cache-'));
  const anchor = await trainAnchor({ config: AnchorConfig.parse({ datasets: [syn.name, sem.name], epochs: 2, model: small }), datasets: [syn, sem] }, silentHooks, new AbortController().signal);
  await anchor.save(join(root, 'anchor'));
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('an anchored expert on cached tokens', () => {
  for (const ds of [syn, sem]) {
    it(`${ds.kind}: the same weights and metrics as encoding every batch`, async () => {
      const train = async (cached: boolean) => {
        off.value = !cached;
        filled.length = 0;
        const config = ExpertConfig.parse({ dataset: ds.name, epochs: 3, model: small, anchor: 7, dropout: 0.1 });
        const r = await trainExpert({ config, dataset: ds, anchorDir: join(root, 'anchor') }, silentHooks, new AbortController().signal);
        expect(filled).toEqual([1]);
        const dir = join(root, `${ds.name}-${cached}`);
        await r.save(dir);
        return { metrics: r.metrics, weights: (await readSnapshot(dir)).weights };
      };
      const cached = await train(true);
      const encoded = await train(false);
      expect(cached.metrics).toEqual(encoded.metrics);
      for (const [name, w] of encoded.weights) expect(Array.from(cached.weights.get(name)!.data), name).toEqual(Array.from(w.data));
    }, 60_000);
  }
});
