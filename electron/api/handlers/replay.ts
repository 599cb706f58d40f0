// Replay: re-run a stored run with its stored config, seed and dataset versions as a new run
// linked to the original, then compare the two curve by curve.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnchorConfigInput, AssemblyConfigInput, ExpertConfigInput } from '../../../shared/config.ts';
import { ApiError } from '../../../shared/contract.ts';
import type { RunRow, Store } from '../../store/index.ts';
import { sha256File } from '../fs-atomic.ts';
import { stripType, type Training } from '../training.ts';
import { getRun } from './runs.ts';
import { RECORDS_FILE } from '../../engine/datasets/prepare.ts';

/** Checks the dataset versions a run used are still there, byte for byte; returns the problems. */
async function changedDatasets(store: Store, run: RunRow, usedVersions: ReturnType<Store['runs']['datasetsOf']>): Promise<string[]> {
  const problems: string[] = [];
  for (const used of usedVersions) {
    const v = store.datasets.version(used.versionId);
    const file = v && join(store.home.root, v.dir, RECORDS_FILE);
    if (!v || !file || !existsSync(file)) problems.push(`dataset ${used.name} version ${used.hash.slice(0, 12)} no longer exists`);
    else if ((await sha256File(file)) !== used.hash) problems.push(`dataset ${used.name} version ${used.hash.slice(0, 12)} changed on disk`);
  }
  if (usedVersions.length === 0 && run.kind !== 'import') problems.push(`the dataset versions run ${run.id} trained on were removed`);
  return problems;
}

export async function startReplay(store: Store, training: Training, id: number, useCurrentData: boolean): Promise<RunRow> {
  const original = getRun(store, id);
  const type = original.config.type;
  if (type !== 'expert' && type !== 'assembly' && type !== 'anchor') throw new ApiError('invalid_input', `run ${id} (${original.kind}) cannot be replayed: only expert, anchor and assembly runs have a training recipe`);
  if (original.status !== 'completed') throw new ApiError('invalid_input', `run ${id} is ${original.status}; only completed runs are replayed`);
  const usedVersions = store.runs.datasetsOf(id);
  const problems = await changedDatasets(store, original, usedVersions);
  let versionIds: Record<string, number> | undefined;
  if (problems.length > 0) {
    if (!useCurrentData) throw new ApiError('conflict', `cannot replay run ${id}: ${problems.join('; ')}. Pass --use-current-data to replay on the current versions (the metrics may then differ).`);
  } else {
    versionIds = Object.fromEntries(usedVersions.map((u) => [u.name, u.versionId]));
  }
  const options = { kind: 'replay' as const, replayOf: id, versionIds };
  // The stored config is the resolved one; parsing it again inside start* validates it.
  const recipe = stripType(original.config);
  // An anchored expert replays against the same anchor run (its config names it).
  if (type === 'anchor') return training.startAnchor(recipe as AnchorConfigInput, options);
  return type === 'expert' ? training.startExpert(recipe as ExpertConfigInput, options) : training.startAssembly(recipe as AssemblyConfigInput, options);
}

/** Compares a finished replay with its original, curve by curve and on the final test metrics. */
export function replayVerdict(store: Store, id: number) {
  const replay = getRun(store, id);
  if (replay.replayOf === null) throw new ApiError('invalid_input', `run ${id} is not a replay`);
  const original = getRun(store, replay.replayOf);
  let maxAbsDiff = 0;
  let sameShape = true;
  const curvesA = new Map(store.metrics.series(original.id).map((s) => [s.key, s.points]));
  const curvesB = new Map(store.metrics.series(replay.id).map((s) => [s.key, s.points]));
  if (curvesA.size !== curvesB.size) sameShape = false;
  for (const [key, a] of curvesA) {
    const b = curvesB.get(key);
    if (!b || b.length !== a.length) {
      sameShape = false;
      continue;
    }
    a.forEach((p, i) => {
      if (b[i].step !== p.step) sameShape = false;
      const both = Number.isNaN(p.value) && Number.isNaN(b[i].value);
      if (!both) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(p.value - b[i].value));
    });
  }
  const finals = (r: RunRow) => JSON.stringify((r.result as { metrics?: unknown } | null)?.metrics ?? null);
  const finalsSame = finals(original) === finals(replay);
  if (!finalsSame) maxAbsDiff = Math.max(maxAbsDiff, finalMetricDiff(original, replay));
  const completed = replay.status === 'completed';
  return {
    id: replay.id,
    replay_of: original.id,
    status: replay.status,
    reproduced: completed && sameShape && finalsSame && maxAbsDiff === 0,
    max_abs_diff: Number.isFinite(maxAbsDiff) ? maxAbsDiff : Number.MAX_VALUE,
    backend_same: original.backend === replay.backend,
  };
}

function numbersIn(value: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof value === 'number') out.set(prefix, value);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbersIn(v, `${prefix}.${k}`, out);
}

function finalMetricDiff(a: RunRow, b: RunRow): number {
  const ma = new Map<string, number>();
  const mb = new Map<string, number>();
  numbersIn((a.result as { metrics?: unknown } | null)?.metrics, '', ma);
  numbersIn((b.result as { metrics?: unknown } | null)?.metrics, '', mb);
  let max = 0;
  for (const [k, v] of ma) max = Math.max(max, mb.has(k) ? Math.abs(v - mb.get(k)!) : Infinity);
  return max;
}
