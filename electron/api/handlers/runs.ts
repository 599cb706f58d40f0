// Run history: listing, details with lineage, comparison, metric curves and routing snapshots.
import { ApiError, type RoutingSnapshot, type RunDetail, type RunSummary } from '../../../shared/contract.ts';
import type { RoutingRow, RunRow, Store } from '../../store/index.ts';
import { typedResult } from './run-result.ts';

function summaryOf(run: RunRow, datasets: string[], latest: Record<string, number>): RunSummary {
  return {
    id: run.id, kind: run.kind, status: run.status, name: run.name, datasets, seed: run.seed, backend: run.backend,
    parent: run.parentId, replayOf: run.replayOf, createdAt: run.createdAt, startedAt: run.startedAt, finishedAt: run.finishedAt,
    latest: finiteOnly(latest), error: run.error,
  };
}

/** JSON has no NaN or Infinity: such values are left out of summaries (curves keep them as null). */
function finiteOnly(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => Number.isFinite(v)));
}

export function listRuns(store: Store, filter: { kind?: string; status?: string; dataset?: string }): RunSummary[] {
  const runs = store.runs.list(filter);
  const names = store.runs.datasetNamesByRun();
  const latest = store.metrics.latestByRun();
  return runs.map((r) => summaryOf(r, names.get(r.id) ?? [], latest.get(r.id) ?? {}));
}

export function getRun(store: Store, id: number): RunRow {
  const run = store.runs.get(id);
  if (!run) throw new ApiError('not_found', `no run ${id}`);
  return run;
}

export function showRun(store: Store, id: number): RunDetail {
  const run = getRun(store, id);
  const used = store.runs.datasetsOf(id);
  return {
    ...summaryOf(run, used.map((u) => u.name), store.metrics.latestByRun([id]).get(id) ?? {}),
    config: run.config,
    versions: run.versions,
    datasetVersions: used.map((u) => ({ name: u.name, version: u.hash })),
    result: typedResult(run),
    experts: assemblyExperts(store, run),
    artifacts: store.artifacts.of(id),
    children: store.runs.children(id),
  };
}

/** An assembly's expert runs in router order (its config's), each with the dataset it was trained on. An import's ids name another workbench's runs: none. */
function assemblyExperts(store: Store, run: RunRow): RunDetail['experts'] {
  const ids = run.kind !== 'import' && run.config.type === 'assembly' && Array.isArray(run.config.experts) ? run.config.experts.filter((e): e is number => Number.isInteger(e) && (e as number) > 0) : [];
  return ids.map((id) => ({ run: id, dataset: store.runs.datasetsOf(id)[0]?.name ?? `run ${id}` }));
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

export function compareRuns(store: Store, a: number, b: number) {
  const ra = getRun(store, a);
  const rb = getRun(store, b);
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(ra.config, '', fa);
  flatten(rb.config, '', fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  const configDiff = paths
    .filter((p) => JSON.stringify(fa.get(p)) !== JSON.stringify(fb.get(p)))
    .map((p) => ({ path: p, a: fa.get(p) ?? null, b: fb.get(p) ?? null }));
  const latest = store.metrics.latestByRun([a, b]);
  const ma = latest.get(a) ?? {};
  const mb = latest.get(b) ?? {};
  const keys = [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort();
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  const metrics = keys.map((key) => {
    const va = num(ma[key]);
    const vb = num(mb[key]);
    return { key, a: va, b: vb, diff: va !== null && vb !== null ? vb - va : null };
  });
  return { a, b, configDiff, metrics };
}

export function metricSeries(store: Store, id: number, keys?: string[]) {
  getRun(store, id);
  return store.metrics.series(id, keys).map((s) => ({ key: s.key, points: s.points.map((p) => ({ step: p.step, value: Number.isFinite(p.value) ? p.value : null })) }));
}

/** Groups stored routing rows back into domain x expert snapshots, one per (step, split). */
export function routingSnapshots(rows: RoutingRow[]): RoutingSnapshot[] {
  const groups = new Map<string, RoutingRow[]>();
  for (const r of rows) {
    const key = `${r.step}\u0000${r.split}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => {
    const domains: string[] = [];
    const experts: string[] = [];
    for (const r of g) {
      domains[r.domainIndex] = r.domain;
      experts[r.expert] = r.expertName;
    }
    const grid = () => domains.map(() => experts.map(() => 0));
    const top1 = grid();
    const topk = grid();
    const meanProb = grid();
    const dropped = domains.map(() => 0);
    for (const r of g) {
      top1[r.domainIndex][r.expert] = r.top1;
      topk[r.domainIndex][r.expert] = r.topk;
      meanProb[r.domainIndex][r.expert] = r.meanProb;
      dropped[r.domainIndex] = r.dropped;
    }
    return { step: g[0].step, split: g[0].split, domains, experts, top1, topk, meanProb, dropped };
  });
}
