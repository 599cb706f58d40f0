// Files checked against the hashes recorded when the workbench wrote them: a model folder against
// its run's artifacts, a prepared dataset folder against its version's file list. A missing,
// resized or altered file gives one error naming each file and saying what to do.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract.ts';
import type { Store } from '../store/index.ts';
import type { DatasetVersionRow, FileHash } from '../store/datasets-repo.ts';
import { sha256File } from './fs-atomic.ts';

/** A set of files to check before use: paths relative to `root`. */
export interface FileCheck {
  /** What the files are, for the message: "the model of run 3". */
  what: string;
  root: string;
  files: FileHash[];
  /** What the user can do about it. */
  remedy: string;
}

/** Problems of one check: each file missing, of another size, or with another sha256. */
export async function fileProblems(check: FileCheck): Promise<{ file: string; line: null; message: string }[]> {
  const problems: { file: string; line: null; message: string }[] = [];
  for (const f of check.files) {
    const file = join(check.root, f.path);
    const size = await stat(file).then((s) => (s.isFile() ? s.size : -1), () => null);
    if (size === null) problems.push({ file, line: null, message: 'missing' });
    else if (size !== f.bytes) problems.push({ file, line: null, message: `altered: ${size} bytes, ${f.bytes} when it was written` });
    else if ((await sha256File(file)) !== f.sha256) problems.push({ file, line: null, message: 'altered: its sha256 differs from the one recorded when it was written' });
  }
  return problems;
}

/** Throws one `failed` ApiError (exit code 1) listing every damaged file of every check. */
export async function verifyFiles(checks: readonly FileCheck[]): Promise<void> {
  for (const check of checks) {
    const problems = await fileProblems(check);
    if (problems.length === 0) continue;
    const listed = problems.map((p) => `${p.file} (${p.message})`).join('; ');
    throw new ApiError('failed', `${check.what} is damaged: ${listed}. ${check.remedy}`, problems);
  }
}

/** The check of a run's model folder, from its recorded artifacts (null: none were recorded). */
export function modelCheck(store: Store, runId: number): FileCheck | null {
  const files = store.artifacts.of(runId).filter((a) => a.kind === 'model');
  if (files.length === 0) return null;
  return {
    what: `the model of run ${runId}`,
    root: store.home.root,
    files: files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
    remedy: 'Nothing was changed. Restore the file, or train the run again (or import its export again).',
  };
}

/** The check of a registered dataset version's folder (null: registered before hashes were kept). */
export function datasetCheck(store: Store, v: DatasetVersionRow): FileCheck | null {
  if (!v.files) return null;
  return {
    what: `dataset ${v.name} (version ${v.hash.slice(0, 12)})`,
    root: join(store.home.root, v.dir),
    files: v.files,
    remedy: 'Its folder was changed after registration. Register the source again with `datasets add` (a new version), or restore the folder.',
  };
}
