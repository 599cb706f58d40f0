// The store's records: datasets and versions, runs and recovery, metrics with NaN, routing rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/store/index.ts';

const freshStore = () => openStore(mkdtempSync(join(tmpdir(), 'moe-home-')));

function addVersion(store: ReturnType<typeof freshStore>, name: string, hash: string) {
  return store.datasets.insert({
    name, kind: 'semantics', hash, splitSeed: 42, format: 'csv', implicit: false, source: '/x.csv', dir: `datasets/${hash}`,
    counts: { train: 8, validation: 1, test: 1 }, labels: ['a', 'b'], warnings: [], stats: {}, preview: [],
  });
}

function newRun(store: ReturnType<typeof freshStore>, versionIds: number[]) {
  return store.runs.create({ kind: 'expert', name: 'e', config: { type: 'expert' }, seed: 1, backend: 'wasm', versions: {}, datasetVersionIds: versionIds });
}

describe('store', () => {
  it('keeps versions per dataset and lists the latest', () => {
    const store = freshStore();
    addVersion(store, 'sms', 'aaa');
    const v2 = addVersion(store, 'sms', 'bbb');
    expect(store.datasets.list().map((d) => [d.name, d.hash, d.versionCount])).toEqual([['sms', 'bbb', 2]]);
    expect(store.datasets.find('sms', 'aaa', 42)?.hash).toBe('aaa');
    expect(store.datasets.latest('sms')?.id).toBe(v2.id);
    store.close();
  });

  it('refuses to drop versions a run uses unless forced', () => {
    const store = freshStore();
    const v = addVersion(store, 'sms', 'aaa');
    newRun(store, [v.id]);
    expect(store.datasets.runsUsing('sms')).toEqual([1]);
    expect(() => store.datasets.remove('sms', false)).toThrow(/FOREIGN KEY/);
    expect(store.datasets.remove('sms', true)).toEqual(['datasets/aaa']);
    expect(store.datasets.list()).toEqual([]);
    store.close();
  });

  it('logs metrics in batches, keeps NaN and infinities, and tracks the latest value', () => {
    const store = freshStore();
    const run = newRun(store, []);
    store.metrics.log(run.id, 1, { loss: 2.5, acc: Number.NaN });
    store.metrics.log(run.id, 2, { loss: Number.POSITIVE_INFINITY, acc: 0.5 });
    expect(store.metrics.series(run.id)).toEqual([]);
    store.metrics.flush();
    const series = Object.fromEntries(store.metrics.series(run.id).map((s) => [s.key, s.points]));
    expect(series.loss).toEqual([{ step: 1, value: 2.5 }, { step: 2, value: Number.POSITIVE_INFINITY }]);
    expect(Number.isNaN(series.acc[0].value)).toBe(true);
    expect(store.metrics.latestByRun().get(run.id)).toEqual({ loss: Number.POSITIVE_INFINITY, acc: 0.5 });
    store.close();
  });

  it('stores routing rows by run, split and step', () => {
    const store = freshStore();
    const run = newRun(store, []);
    store.metrics.logRouting(run.id, [
      { step: 5, split: 'train', domain: 'a', domainIndex: 0, expert: 0, expertName: 'a', top1: 10, topk: 12, meanProb: 0.8, dropped: 0 },
      { step: 5, split: 'train', domain: 'a', domainIndex: 0, expert: 1, expertName: 'b', top1: 2, topk: 12, meanProb: 0.2, dropped: 0 },
    ]);
    store.metrics.flush();
    expect(store.metrics.routingRows(run.id, 'train').map((r) => [r.expert, r.top1, r.meanProb])).toEqual([[0, 10, 0.8], [1, 2, 0.2]]);
    expect(store.metrics.routingRows(run.id, 'test')).toEqual([]);
    store.close();
  });

  it('marks runs of a dead process interrupted at start-up, and leaves its own alone', () => {
    const store = freshStore();
    const mine = newRun(store, []);
    store.runs.markRunning(mine.id);
    const orphan = newRun(store, []);
    store.runs.markRunning(orphan.id);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    store.db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(Number(dead), orphan.id);
    expect(store.runs.recoverInterrupted()).toEqual([orphan.id]);
    expect(store.runs.get(orphan.id)?.status).toBe('interrupted');
    expect(store.runs.get(mine.id)?.status).toBe('running');
    store.close();
  });

  it('lists runs with filters and lineage', () => {
    const store = freshStore();
    const v = addVersion(store, 'sms', 'aaa');
    const a = newRun(store, [v.id]);
    const b = store.runs.create({ kind: 'replay', name: 'r', config: {}, seed: 1, backend: 'wasm', versions: {}, replayOf: a.id, datasetVersionIds: [v.id] });
    store.runs.finish(b.id, 'completed', { result: { ok: 1 } });
    expect(store.runs.list({ kind: 'replay' }).map((r) => r.id)).toEqual([b.id]);
    expect(store.runs.list({ status: 'completed' }).map((r) => r.id)).toEqual([b.id]);
    expect(store.runs.list({ dataset: 'sms' }).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(store.runs.children(a.id)).toEqual([b.id]);
    expect(store.runs.get(b.id)?.result).toEqual({ ok: 1 });
    store.close();
  });
});
