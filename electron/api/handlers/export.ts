// Export a run's model as a self-describing folder, and import such a folder back as a run.
// An export is written to a temporary sibling folder and renamed at the end: a failure (or a
// kill) leaves no half-written DIR. An existing DIR is replaced (with --force) only when its
// manifest.json says it is an export of this format; any other non-empty folder is refused and
// left untouched, whatever the flags.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ApiError, describeZodError } from '../../../shared/contract.ts';
import type { Store } from '../../store/index.ts';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, ExportManifest, MANIFEST_FILE } from '../export-manifest.ts';
import { describeStorageError, faultPoint } from '../faults.ts';
import { assertReplaceable, hashTree, markerGuard, replaceDir, sha256File } from '../fs-atomic.ts';
import { modelCheck, verifyFiles } from '../integrity.ts';
import type { RuntimeFacts, Training } from '../training.ts';
import { getRun } from './runs.ts';

const MODEL_DESCRIPTION = 'model.json';

/** A folder whose manifest.json says it is an export of this format (of any version). */
export const EXPORT_GUARD = markerGuard(`a MoE Workbench export (no ${MANIFEST_FILE} of format ${EXPORT_FORMAT})`, MANIFEST_FILE, (text) => {
  try {
    return (JSON.parse(text) as { format?: unknown }).format === EXPORT_FORMAT;
  } catch {
    return false;
  }
});

export async function exportRun(store: Store, training: Training, id: number, target: string, force: boolean): Promise<{ dir: string; files: string[] }> {
  const run = getRun(store, id);
  const modelDir = training.modelDirOf(run);
  if (run.status !== 'completed' || !existsSync(join(modelDir, MODEL_DESCRIPTION))) {
    throw new ApiError('invalid_input', `run ${id} has no trained model to export (status ${run.status})`);
  }
  const check = modelCheck(store, id);
  if (check) await verifyFiles([check]);
  const dir = resolve(target);
  if ((await assertReplaceable(dir, EXPORT_GUARD)) === 'ours' && !force) throw new ApiError('conflict', `${dir} is not empty: it holds an earlier export; pass --force to replace it, or choose an empty folder`);
  const tmp = join(dirname(dir), `.${basename(dir)}.export-${process.pid}-${Date.now()}`);
  try {
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(tmp);
    for (const file of (await readdir(modelDir)).sort()) await copyFile(join(modelDir, file), join(tmp, file));
    const components = await hashTree(tmp, tmp);
    const type = run.config.type === 'assembly' || run.config.type === 'anchor' ? run.config.type : 'expert';
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      format_version: EXPORT_FORMAT_VERSION,
      exported_at: new Date().toISOString(),
      source_run: {
        id: run.id, kind: run.kind, type, seed: run.seed, backend: run.backend, versions: run.versions, config: run.config,
        datasets: store.runs.datasetsOf(id).map((u) => ({ name: u.name, version: u.hash })),
        metrics: (run.result as { metrics?: unknown } | null)?.metrics ?? null,
      },
      ...anchorOf(store, run.config),
      model: JSON.parse(await readFile(join(tmp, MODEL_DESCRIPTION), 'utf8')) as Record<string, unknown>,
      components,
    };
    await faultPoint('export', join(tmp, MANIFEST_FILE));
    await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await replaceDir(tmp, dir, EXPORT_GUARD);
    return { dir, files: [MANIFEST_FILE, ...components.map((c) => c.path)].sort() };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw describeStorageError(error, `export of run ${id} to ${dir}`);
  }
}

/** The anchor an expert's config names, as the export records it (nothing when it names none or it is gone). */
function anchorOf(store: Store, config: Record<string, unknown>): Pick<ExportManifest, 'anchor'> {
  const id = config.anchor;
  if (typeof id !== 'number' || store.runs.get(id) === null) return {};
  const model = store.artifacts.of(id).filter((a) => a.kind === 'model').map((a) => ({ path: basename(a.path), sha256: a.sha256 }));
  return { anchor: { run: id, datasets: store.runs.datasetsOf(id).map((u) => ({ name: u.name, version: u.hash })), model } };
}

/** Reads and checks an exported folder's manifest and every file's hash. */
export async function readExport(dir: string): Promise<ExportManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    throw new ApiError('invalid_input', `${join(dir, MANIFEST_FILE)}: cannot read the manifest (${(error as Error).message})`, [{ file: join(dir, MANIFEST_FILE), line: null, message: 'missing or not JSON' }]);
  }
  const parsed = ExportManifest.safeParse(raw);
  if (!parsed.success) throw new ApiError('invalid_input', `${join(dir, MANIFEST_FILE)}: not a MoE Workbench export: ${describeZodError(parsed.error)}`);
  const problems = [];
  for (const c of parsed.data.components) {
    const file = join(dir, c.path);
    if (!existsSync(file)) problems.push({ file, line: null, message: 'listed in the manifest but missing' });
    else if ((await sha256File(file)) !== c.sha256) problems.push({ file, line: null, message: 'sha256 does not match the manifest (altered or truncated)' });
  }
  if (problems.length > 0) throw new ApiError('invalid_input', `${dir}: ${problems.length} file(s) fail their manifest check`, problems);
  return parsed.data;
}

export async function importRun(store: Store, training: Training, source: string, facts: RuntimeFacts): Promise<{ id: number }> {
  const dir = resolve(source);
  const manifest = await readExport(dir);
  const run = store.runs.create({
    kind: 'import',
    name: `import of run ${manifest.source_run.id} (${manifest.source_run.type})`,
    config: { ...manifest.source_run.config, type: manifest.source_run.type, imported_from: dir },
    seed: manifest.source_run.seed,
    backend: facts.backend,
    versions: facts.versions,
    datasetVersionIds: [],
  });
  const modelDir = training.modelDirOf(run);
  const tmp = join(dirname(modelDir), `.${basename(modelDir)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await mkdir(tmp, { recursive: true });
    for (const c of manifest.components) await copyFile(join(dir, c.path), join(tmp, c.path));
    await rename(tmp, modelDir);
    // The copies are byte for byte what readExport just verified: its hashes stand.
    const files = manifest.components.map((c) => ({ kind: 'model', path: relative(store.home.root, join(modelDir, c.path)), sha256: c.sha256, bytes: c.bytes }));
    store.artifacts.replace(run.id, 'model', files);
    store.runs.finish(run.id, 'completed', { result: { metrics: manifest.source_run.metrics, source_run: manifest.source_run.id, datasets: manifest.source_run.datasets } });
    return { id: run.id };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    store.runs.finish(run.id, 'failed', { error: (error as Error).message });
    throw error;
  }
}
