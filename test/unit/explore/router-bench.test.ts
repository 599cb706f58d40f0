// The router-bench driver over a real store and a stand-in for Training whose assembly children
// finish with results of the engine's shape: one eval parent of type router-bench, a child per
// method named by method, the bench JSON (metrics, retention, purity, build_s per method), the
// best deployable method per domain (oracle is never best), the distance from oracle, and a
// failed child failing the bench. Retention itself: the engine's formula, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssemblyConfigInput, RouterMethod } from '../../../shared/config.ts';
import { RouterBench } from '../../../shared/contract.ts';
import { EventBus } from '../../../electron/api/events.ts';
import { RouterBenches, type BenchRunner } from '../../../electron/api/router-bench.ts';
import type { StartOptions } from '../../../electron/api/training.ts';
import { domainRetention, retentionOf } from '../../../electron/engine/assembly/retention.ts';
import { openStore, type RunRow } from '../../../electron/store/index.ts';

const FACTS = { backend: 'cpu', versions: { app: 'test' } };
const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));

/** Test accuracy of `sem` and rmse of `rec` each method's child reports. */
const OUTCOME: Record<RouterMethod, { sem: number; rec: number }> = {
  joint: { sem: 0.8, rec: 0.9 },
  embedding: { sem: 0.82, rec: 1.1 },
  closed_form: { sem: 0.82, rec: 0.85 },
  gates: { sem: 0.7, rec: 1.0 },
  uniform: { sem: 0.6, rec: 1.3 },
  oracle: { sem: 0.9, rec: 0.8 },
};
const EXPERT = { sem: { accuracy: 0.85 }, rec: { rmse: 0.88 } };

function world(fail: RouterMethod | null = null) {
  const home = mkdtempSync(join(tmpdir(), 'mw-router-bench-'));
  homes.push(home);
  const store = openStore(home);
  const experts = [1, 2].map(() => store.runs.create({ kind: 'expert', name: 'e', config: { type: 'expert' }, seed: 1, backend: 'cpu', versions: {}, datasetVersionIds: [] }).id);
  const done = new Map<number, Promise<RunRow>>();
  const configs: AssemblyConfigInput[] = [];
  const runner: BenchRunner = {
    startAssembly(input: AssemblyConfigInput, options: StartOptions = {}) {
      configs.push(input);
      const run = store.runs.create({ kind: 'assembly', name: options.name ?? 'a', config: { ...input, type: 'assembly' }, seed: 1, backend: 'cpu', versions: {}, parentId: options.parentId, datasetVersionIds: [] });
      const method = input.router?.method ?? 'joint';
      store.runs.markRunning(run.id);
      done.set(run.id, new Promise((resolve) => setTimeout(() => {
        if (method === fail) store.runs.finish(run.id, 'failed', { error: 'boom' });
        else {
          const test = { sem: { accuracy: OUTCOME[method].sem, f1: 0.1 }, rec: { rmse: OUTCOME[method].rec, mae: 0.5 } };
          const purity = { sem: method === 'oracle' ? 1 : 0.7, rec: method === 'oracle' ? 1 : 0.6 };
          store.runs.finish(run.id, 'completed', { result: { metrics: { test }, baselines: { expert: EXPERT }, retention: domainRetention(test, EXPERT), routing: { purity, load: [0.5, 0.5], entropy: 0.3, dropped: 0 }, router: { method, build_s: 0.25 } } });
        }
        resolve(store.runs.get(run.id)!);
      }, 10)));
      return run;
    },
    wait: (id: number) => done.get(id) ?? Promise.resolve(store.runs.get(id)!),
  };
  return { store, experts, runner, configs };
}

describe('router bench', () => {
  it('runs one child assembly per method under one eval parent and reports the bench JSON', async () => {
    const w = world();
    const benches = new RouterBenches(w.store, w.runner, new EventBus(), FACTS);
    const { id } = benches.start({ experts: w.experts });
    const b = await benches.wait(id);
    expect(RouterBench.parse(b)).toEqual(b);
    expect(b.status).toBe('completed');
    const parent = w.store.runs.get(id)!;
    expect(parent.kind).toBe('eval');
    expect(parent.config.type).toBe('router-bench');
    expect(benches.isBench(id)).toBe(true);
    expect(Object.keys(b.methods)).toEqual(['joint', 'embedding', 'closed_form', 'gates', 'uniform', 'oracle']);
    expect(w.configs.map((c) => c.router?.method)).toEqual(Object.keys(b.methods));
    expect(w.configs.every((c) => c.top_k === 2 && c.experts.join() === w.experts.join())).toBe(true);
    const children = w.store.runs.children(id);
    expect(children).toEqual(Object.values(b.methods).map((m) => m.run));
    for (const c of children) expect(w.store.runs.get(c)!.name).toMatch(new RegExp(`^router-bench ${id} `));
    const emb = b.methods.embedding;
    expect(emb.metrics.sem.accuracy).toBe(0.82);
    expect(emb.retention.sem).toBeCloseTo(0.82 / 0.85, 12);
    expect(emb.retention.rec).toBeCloseTo(0.88 / 1.1, 12);
    expect(emb.purity).toEqual({ sem: 0.7, rec: 0.6 });
    expect(emb.build_s).toBe(0.25);
    expect(emb.entropy).toBe(0.3);
    expect(emb.load).toEqual([0.5, 0.5]);
    expect(b.methods.oracle.purity).toEqual({ sem: 1, rec: 1 });
    // Higher accuracy wins for sem (a tie keeps the earlier method), lower rmse for rec; never oracle.
    expect(b.best).toEqual({ sem: 'embedding', rec: 'closed_form' });
    expect(b.selection).toEqual({ sem: { metric: 'accuracy', higher_is_better: true }, rec: { metric: 'rmse', higher_is_better: false } });
    expect(b.methods.uniform.from_oracle.sem).toBeCloseTo(0.6 - 0.9, 12);
    expect(b.methods.uniform.from_oracle.rec).toBeCloseTo(1.3 - 0.8, 12);
    expect(b.methods.oracle.from_oracle).toEqual({ sem: 0, rec: 0 });
    // The parent keeps the comparison as its result.
    expect(w.store.runs.get(id)!.result).toMatchObject({ best: b.best });
  });

  it('a subset of methods; without oracle there is no distance from it', async () => {
    const w = world();
    const benches = new RouterBenches(w.store, w.runner, new EventBus(), FACTS);
    const { id } = benches.start({ experts: w.experts, methods: ['uniform', 'gates'], top_k: 1 });
    const b = await benches.wait(id);
    expect(Object.keys(b.methods)).toEqual(['uniform', 'gates']);
    expect(w.configs.every((c) => c.top_k === 1)).toBe(true);
    expect(b.methods.gates.from_oracle).toEqual({});
    expect(b.best).toEqual({ sem: 'gates', rec: 'gates' });
  });

  it('a failed child fails the bench and says which', async () => {
    const w = world('gates');
    const benches = new RouterBenches(w.store, w.runner, new EventBus(), FACTS);
    const { id } = benches.start({ experts: w.experts });
    const b = await benches.wait(id);
    expect(b.status).toBe('failed');
    expect(b.methods.gates.status).toBe('failed');
    expect(b.methods.gates.error).toBe('boom');
    expect(b.methods.gates.build_s).toBeNull();
    expect(b.methods.gates.entropy).toBeNull();
    expect(b.methods.gates.load).toEqual([]);
    expect(w.store.runs.get(id)!.error).toMatch(/gates: failed \(boom\)/);
  });

  it('rejects an unknown or repeated method and top_k above the experts', () => {
    const w = world();
    const benches = new RouterBenches(w.store, w.runner, new EventBus(), FACTS);
    expect(() => benches.start({ experts: w.experts, methods: ['joint', 'joint'] })).toThrow();
    expect(() => benches.start({ experts: w.experts, methods: ['best' as RouterMethod] })).toThrow();
    expect(() => benches.start({ experts: w.experts, top_k: 3 })).toThrow(/top_k/);
  });
});

describe('retention', () => {
  it('is assembly / expert for scores and expert / assembly for errors, on the first metric', () => {
    expect(retentionOf('accuracy', 0.8, 0.9)).toBeCloseTo(0.8 / 0.9, 12);
    expect(retentionOf('rmse', 1.0, 0.9)).toBeCloseTo(0.9, 12);
    expect(retentionOf('accuracy', 0, 0)).toBe(1);
    expect(domainRetention({ a: { f1: 0.5, accuracy: 1 }, b: { mae: 2 }, c: { accuracy: 0.5 } }, { a: { f1: 0.25, accuracy: 1 }, b: { mae: 1 }, c: { accuracy: 0 } })).toEqual({ a: 2, b: 0.5 });
  });
});
