// The sweep driver over a real store and a stand-in for Training whose trials finish after a
// short wait with a metric computed from their config: trials are child runs named by index; at
// most `parallel` run at once; the budget stops new trials (the rest read `skipped`); an
// interrupted sweep resumes only its trials without a completed run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssemblyConfigInput } from '../../../shared/config.ts';
import { EventBus } from '../../../electron/api/events.ts';
import { Sweeps, type TrialRunner } from '../../../electron/api/sweeps.ts';
import type { StartOptions } from '../../../electron/api/training.ts';
import { openStore, type RunRow } from '../../../electron/store/index.ts';

const FACTS = { backend: 'cpu', versions: { app: 'test' } };
const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));

function world(trialMs: number) {
  const home = mkdtempSync(join(tmpdir(), 'mw-sweeps-'));
  homes.push(home);
  const store = openStore(home);
  const experts = [1, 2].map(() => store.runs.create({ kind: 'expert', name: 'e', config: { type: 'expert' }, seed: 1, backend: 'cpu', versions: {}, datasetVersionIds: [] }).id);
  const running = new Set<number>();
  let most = 0;
  const done = new Map<number, Promise<RunRow>>();
  const started: number[] = [];
  const finishLater = (id: number, topK: number, cf: number | null): void => {
    running.add(id);
    most = Math.max(most, running.size);
    store.runs.markRunning(id);
    done.set(id, new Promise((resolve) => setTimeout(() => {
      running.delete(id);
      store.runs.finish(id, 'completed', { result: { metrics: { test: { sem: { accuracy: 0.5 + 0.1 * topK - (cf ?? 0) * 0.01 } } } } });
      resolve(store.runs.get(id)!);
    }, trialMs)));
  };
  const runner: TrialRunner = {
    startAssembly(input: AssemblyConfigInput, options: StartOptions = {}) {
      const run = store.runs.create({ kind: 'assembly', name: options.name ?? 'a', config: { ...input, type: 'assembly' }, seed: 1, backend: 'cpu', versions: {}, parentId: options.parentId, datasetVersionIds: [] });
      started.push(run.id);
      finishLater(run.id, input.top_k ?? 2, input.capacity_factor ?? null);
      return run;
    },
    resume(id: number) {
      const run = store.runs.get(id)!;
      started.push(id);
      finishLater(id, run.config.top_k as number, run.config.capacity_factor as number | null);
      return run;
    },
    wait: (id: number) => done.get(id) ?? Promise.resolve(store.runs.get(id)!),
  };
  return { store, experts, runner, started, most: () => most };
}

const grid = (experts: number[], budget: number | null = null) => ({
  experts,
  axes: [{ path: 'top_k', values: [1, 2] }, { path: 'capacity_factor', values: [1, 1.25, null] }],
  budget_s: budget,
});

describe('sweeps', () => {
  it('runs every trial as a child run, two at a time, and picks the best', async () => {
    const w = world(30);
    const sweeps = new Sweeps(w.store, w.runner, new EventBus(), FACTS, 2);
    const { id } = sweeps.start(grid(w.experts));
    const s = await sweeps.wait(id);
    expect(s.status).toBe('completed');
    expect(s.trials.map((t) => t.status)).toEqual(Array(6).fill('completed'));
    expect(w.store.runs.children(id)).toEqual(s.trials.map((t) => t.id));
    expect(w.most()).toBe(2);
    // Highest accuracy: top_k 2 with the smallest capacity penalty (null counts 0), trial 5.
    expect(s.best_index).toEqual({ sem: 5 });
  });

  it('stops starting trials when the budget is spent; the rest are skipped', async () => {
    const w = world(60);
    const sweeps = new Sweeps(w.store, w.runner, new EventBus(), FACTS, 1);
    const { id } = sweeps.start(grid(w.experts, 0.1));
    const s = await sweeps.wait(id);
    const ran = s.trials.filter((t) => t.status === 'completed').length;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(3);
    expect(s.trials.slice(ran).every((t) => t.status === 'skipped' && t.id === null)).toBe(true);
  });

  it('resumes only the trials without a completed run', async () => {
    const w = world(20);
    const first = new Sweeps(w.store, w.runner, new EventBus(), FACTS, 2);
    const { id } = first.start(grid(w.experts));
    await first.wait(id);
    // As after a crash: the sweep and two of its trials cut off, one never started.
    const children = w.store.runs.children(id);
    w.store.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id IN (?, ?, ?)").run(id, children[1], children[4]);
    w.store.db.prepare('DELETE FROM runs WHERE id = ?').run(children[5]);
    w.started.length = 0;
    const again = new Sweeps(w.store, w.runner, new EventBus(), FACTS, 2);
    expect(again.show(id).trials[5].status).toBe('pending');
    again.resume(id);
    const s = await again.wait(id);
    expect(s.trials.map((t) => t.status)).toEqual(Array(6).fill('completed'));
    expect(w.started.slice(0, 2).sort()).toEqual([children[1], children[4]].sort());
    expect(w.started).toHaveLength(3);
    expect(s.trials.slice(0, 5).map((t) => t.id)).toEqual(children.slice(0, 5));
  });
});
