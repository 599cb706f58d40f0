// runs.show's typed results: the results the engine really stored (captured from a demo, a router
// bench, a removal and an import on the built-in samples: test/fixtures/run-results/stored.json)
// are tagged with their type and pass the contract's schema unchanged; older and partial results
// still load; a result that fits nothing comes back as its numbers with the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typedResult } from '../../../electron/api/handlers/run-result.ts';
import type { RunRow } from '../../../electron/store/index.ts';
import { RunDetail } from '../../../shared/contract.ts';
import { RunResult } from '../../../shared/run-results.ts';

type Stored = { kind: RunRow['kind']; type: string; result: Record<string, unknown> };
const stored = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'run-results', 'stored.json'), 'utf8')) as Record<string, Stored>;

function row(kind: RunRow['kind'], type: string, result: Record<string, unknown> | null): RunRow {
  return {
    id: 1, kind, status: 'completed', name: 'r', config: { type }, seed: 42, backend: 'cpu', versions: {}, parentId: null, replayOf: null,
    createdAt: '', startedAt: null, finishedAt: null, heartbeatAt: null, ownerPid: null, ownerId: null, checkpoint: null, result, error: null,
  };
}
const typed = (s: Stored) => typedResult(row(s.kind, s.type, s.result));
const clone = <T>(v: T): T => structuredClone(v);

describe('typed run results', () => {
  it('an anchor run: its modality and its own heads\' metrics per dataset', () => {
    const result = { modality: 'text', metrics: { test: { syntax: { accuracy: 0.9 }, semantics: { accuracy: 0.8, macro_f1: 0.7 } }, validation: { accuracy: 0.85 } }, epochsRun: 3, bestEpoch: 2 };
    expect(typedResult(row('anchor', 'anchor', result))).toEqual({ type: 'anchor', ...result });
    expect(typedResult(row('anchor', 'anchor', { ...result, modality: 'sound' }))?.type).toBe('unreadable');
  });

  it('tags every stored result with its type and keeps every field the schema names', () => {
    for (const [name, s] of Object.entries(stored)) {
      const t = typed(s);
      expect(t?.type, name).not.toBe('unreadable');
      // What is sent already is what the client's validation gives back (no field stripped on the way).
      expect(RunResult.parse(clone(t))).toEqual(t);
    }
    const expert = typed(stored.expert!);
    expect(expert).toEqual({ type: 'expert', ...stored.expert!.result });
    const texture = typed(stored['expert-texture']!);
    if (texture?.type !== 'expert' || !texture.confusion) throw new Error('the texture expert stored a confusion matrix');
    expect(texture.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(typed(stored.assembly!)).toEqual({ type: 'assembly', ...stored.assembly!.result });
    expect(typed(stored['router-bench']!)).toEqual({ type: 'router-bench', ...stored['router-bench']!.result });
  });

  it('an assembly carries the engine retention; a removal carries before and the removed dataset', () => {
    const a = typed(stored.assembly!);
    if (a?.type !== 'assembly') throw new Error('not an assembly');
    expect(a.retention).toEqual(stored.assembly!.result.retention);
    expect(Object.keys(a.retention!).sort()).toEqual(Object.keys(a.metrics.test).sort());
    const r = typed(stored.removal!);
    if (r?.type !== 'assembly') throw new Error('not an assembly');
    expect(r.removed).toBe('textures');
    expect(Object.keys(r.before!).sort()).toEqual(['brown-upos', 'ratings', 'spam-ham']);
    expect(r.baselines.dense).toEqual({});
  });

  it('an import gives its source test metrics per dataset, for an assembly and for an expert source', () => {
    const imported = typed(stored['import-assembly']!);
    if (imported?.type !== 'import') throw new Error('not an import');
    expect(imported.source_run).toBe(5);
    expect(imported.test).toEqual((stored.assembly!.result.metrics as { test: unknown }).test);
    const expertSource = { metrics: stored.expert!.result.metrics, source_run: 1, datasets: [{ name: 'brown-upos', version: 'abc' }] };
    expect(typedResult(row('import', 'expert', expertSource))).toEqual({ type: 'import', source_run: 1, datasets: [{ name: 'brown-upos', version: 'abc' }], test: { 'brown-upos': (stored.expert!.result.metrics as { test: unknown }).test } });
  });

  it('loads older and partial results: an assembly before retention and router methods, a NaN metric, a cancelled tuning', () => {
    const { retention: _r, router: _m, ...old } = clone(stored.assembly!.result);
    const t = typedResult(row('replay', 'assembly', old));
    expect(t?.type).toBe('assembly');
    if (t?.type === 'assembly') expect([t.retention, t.router]).toEqual([undefined, undefined]);
    // JSON stores NaN as null: the metric shows as missing, the run still loads.
    const nan = clone(stored.expert!.result) as { metrics: { test: Record<string, number | null> } };
    nan.metrics.test.macro_f1 = null;
    expect(typedResult(row('expert', 'expert', nan))).toMatchObject({ type: 'expert', metrics: { test: { macro_f1: null } } });
    const trials = [{ run: 2, status: 'cancelled', overrides: {}, validation: null, seconds: 1.5 }, { run: 3, status: 'completed', overrides: { learning_rate: 0.01, epochs: 4, model: { dim: 64, hidden: 256 } }, validation: { accuracy: 0.9 }, seconds: 3 }];
    expect(typedResult(row('expert', 'expert', { tune: { budget_s: 10, trials } }))).toEqual({ type: 'expert', tune: { budget_s: 10, trials } });
    const tuned = { ...clone(stored.expert!.result), tune: { budget_s: 10, seconds: 4.5, selected_by: 'validation accuracy', chosen: 3, trials } };
    expect(typedResult(row('expert', 'expert', tuned))).toEqual({ type: 'expert', ...tuned });
    const sweep = { best: { spam: 7 }, best_index: { spam: 2 }, selection: { spam: { metric: 'accuracy', higher_is_better: true } } };
    expect(typedResult(row('eval', 'sweep', sweep))).toEqual({ type: 'sweep', ...sweep });
  });

  it('a result that fits no schema, or of an unknown type, comes back as its numbers with the reason', () => {
    const { baselines: _b, ...broken } = clone(stored.assembly!.result);
    const t = typedResult(row('assembly', 'assembly', broken));
    if (t?.type !== 'unreadable') throw new Error('expected unreadable');
    expect(t.reason).toMatch(/assembly result is not in the expected form: baselines/);
    expect(t.values).toContainEqual(['metrics.test.spam-ham.accuracy', 0.94]);
    expect(t.values).toContainEqual(['routing.entropy', (broken.routing as { entropy: number }).entropy]);
    const mystery = typedResult(row('eval', 'mystery', { score: 3, nested: { deep: 0.5, label: 'x' } }));
    expect(mystery).toEqual({ type: 'unreadable', reason: 'runs of type "mystery" have no known result', values: [['score', 3], ['nested.deep', 0.5]] });
    expect(typedResult(row('expert', 'expert', null))).toBeNull();
  });

  it('RunDetail refuses an untagged or mistyped result (the client validation catches it)', () => {
    const detail = {
      id: 1, kind: 'expert', status: 'completed', name: 'r', datasets: ['d'], seed: 1, backend: 'cpu', parent: null, replayOf: null, createdAt: '', startedAt: null, finishedAt: null,
      latest: {}, error: null, config: {}, versions: {}, datasetVersions: [], artifacts: [], children: [], experts: [],
    };
    expect(RunDetail.safeParse({ ...detail, result: typed(stored.expert!) }).success).toBe(true);
    expect(RunDetail.safeParse({ ...detail, result: stored.expert!.result }).success).toBe(false);
    expect(RunDetail.safeParse({ ...detail, result: { ...stored.expert!.result, type: 'assembly' } }).success).toBe(false);
  });
});
