// Dataset registration, listing and removal. Registration validates the whole input into a
// temporary folder first; only a valid dataset is renamed into the home and recorded, so bad
// input never half-registers.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError, type DatasetDetail, type DatasetSummary, type ParsedRequestOf } from '../../../shared/contract.ts';
import type { DomainKind } from '../../../shared/domain.ts';
import { prepareDataset } from '../../engine/datasets/prepare.ts';
import type { DatasetVersionRow, Store } from '../../store/index.ts';

export const DEFAULT_SPLIT_SEED = 42;

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
  const work = await mkdtemp(join(store.home.tmp, 'add-'));
  try {
    const outcome = await prepareDataset(source, { kind: req.kind, format: req.format, textCol: req.textCol, labelCol: req.labelCol, implicit: req.implicit, seed }, work);
    if (!outcome.ok) {
      const more = outcome.total > outcome.problems.length ? ` (showing ${outcome.problems.length})` : '';
      throw new ApiError('invalid_input', `${source}: ${outcome.total} problem${outcome.total === 1 ? '' : 's'} found${more}; nothing was registered`, outcome.problems);
    }
    const p = outcome.prepared;
    const existing = store.datasets.find(req.name, p.version, seed);
    if (existing) return { dataset: summaryOf(existing), created: false };
    const relDir = join('datasets', `${p.version}-s${seed}`);
    const dir = join(store.home.root, relDir);
    const moved = !existsSync(dir);
    if (moved) await rename(work, dir);
    try {
      const row = store.datasets.insert({
        name: req.name, kind: req.kind, hash: p.version, splitSeed: seed, format: p.format, implicit: p.implicit, source, dir: relDir,
        counts: p.counts, labels: p.labels, warnings: p.warnings, stats: p.stats, preview: p.preview,
      });
      return { dataset: summaryOf(row), created: true };
    } catch (error) {
      if (moved) await rm(dir, { recursive: true, force: true });
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
  const orphanDirs = store.datasets.remove(name, force);
  for (const d of orphanDirs) await rm(join(store.home.root, d), { recursive: true, force: true });
  return { removed: true };
}
