// Dataset registration, listing and removal. Registration validates the whole input into a
// temporary folder first; only a valid dataset is renamed into the home and recorded, so bad
// input never half-registers.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ApiError, type DatasetDetail, type DatasetSummary, type ParsedRequestOf } from '../../../shared/contract.ts';
import type { DomainKind } from '../../../shared/domain.ts';
import { META_FILE, prepareDataset } from '../../engine/datasets/prepare.ts';
import type { DatasetVersionRow, Store } from '../../store/index.ts';
import { describeStorageError, faultPoint } from '../faults.ts';
import { assertReplaceable, hashTree, markerGuard } from '../fs-atomic.ts';

export const DEFAULT_SPLIT_SEED = 42;

/** A registered dataset version's folder holds the meta.json that preparation wrote. */
export const DATASET_GUARD = markerGuard(`a registered dataset folder (no ${META_FILE})`, META_FILE);

/** True when `dir` lies strictly inside `parent`. */
export function isInside(parent: string, dir: string): boolean {
  const rel = relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function summaryOf(v: DatasetVersionRow): DatasetSummary {
  return {
    name: v.name,
    kind: v.kind as DomainKind,
    format: v.format,
    version: v.hash,
    versions: v.versionCount,
    counts: v.counts,
    labels: v.labels,
    warnings: v.warnings,
    implicit: v.implicit,
    createdAt: v.createdAt,
  };
}

export function detailOf(v: DatasetVersionRow): DatasetDetail {
  return { ...summaryOf(v), stats: v.stats, preview: v.preview, source: v.source, splitSeed: v.splitSeed };
}

export async function addDataset(store: Store, req: ParsedRequestOf<'datasets.add'>): Promise<{ dataset: DatasetSummary; created: boolean }> {
  const knownKind = store.datasets.kindOf(req.name);
  if (knownKind !== null && knownKind !== req.kind) {
    throw new ApiError('conflict', `dataset ${req.name} is a ${knownKind} dataset; a new version must be ${knownKind} too (or choose another name)`);
  }
  const seed = req.seed ?? DEFAULT_SPLIT_SEED;
  const source = resolve(req.path);
  try {
    return await registerInto(store, req, source, seed);
  } catch (error) {
    throw describeStorageError(error, `registration of ${source}`);
  }
}

async function registerInto(store: Store, req: ParsedRequestOf<'datasets.add'>, source: string, seed: number): Promise<{ dataset: DatasetSummary; created: boolean }> {
  const work = await mkdtemp(join(store.home.tmp, `add-${process.pid}-`));
  try {
    const outcome = await prepareDataset(source, { kind: req.kind, format: req.format, textCol: req.textCol, labelCol: req.labelCol, implicit: req.implicit, seed }, work);
    if (!outcome.ok) {
      const more = outcome.total > outcome.problems.length ? ` (showing ${outcome.problems.length})` : '';
      throw new ApiError('invalid_input', `${source}: ${outcome.total} problem${outcome.total === 1 ? '' : 's'} found${more}; nothing was registered`, outcome.problems);
    }
    const p = outcome.prepared;
    const existing = store.datasets.find(req.name, p.version, seed);
    if (existing) return { dataset: summaryOf(existing), created: false };
    const files = await hashTree(work, work);
    const relDir = join('datasets', `${p.version}-s${seed}`);
    const dir = join(store.home.root, relDir);
    const moved = !existsSync(dir);
    if (moved) {
      await faultPoint('register', dir);
      await rename(work, dir);
    }
    try {
      const row = store.datasets.insert({
        name: req.name, kind: req.kind, hash: p.version, splitSeed: seed, format: p.format, implicit: p.implicit, source, dir: relDir, files,
        counts: p.counts, labels: p.labels, warnings: p.warnings, stats: p.stats, preview: p.preview,
      });
      return { dataset: summaryOf(row), created: true };
    } catch (error) {
      // Give the folder back to the temporary work folder, which the finally below removes.
      if (moved) await rename(dir, work);
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function showDataset(store: Store, name: string): DatasetDetail {
  const v = store.datasets.latest(name);
  if (!v) throw new ApiError('not_found', `no dataset named ${name}`);
  return detailOf(v);
}

export async function removeDataset(store: Store, name: string, force: boolean): Promise<{ removed: boolean }> {
  if (!store.datasets.latest(name)) throw new ApiError('not_found', `no dataset named ${name}`);
  const runs = store.datasets.runsUsing(name);
  if (runs.length > 0 && !force) {
    throw new ApiError('conflict', `dataset ${name} is used by run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}; remove those runs' data first or pass --force (their replays will then be refused)`);
  }
  // Only folders under the home's datasets/ that preparation wrote are ever deleted.
  const orphanDirs = store.datasets.remove(name, force);
  for (const d of orphanDirs) {
    const dir = resolve(store.home.root, d);
    if (!isInside(store.home.datasets, dir)) continue;
    const found = await assertReplaceable(dir, DATASET_GUARD).catch(() => 'foreign' as const);
    if (found === 'ours' || found === 'empty') await rm(dir, { recursive: true, force: true });
  }
  return { removed: true };
}
