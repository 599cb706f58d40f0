// Folders written whole or not at all: written under a temporary sibling, then renamed into place.
// An existing folder is replaced only when it is provably one the workbench wrote (a guard reads
// its marker file: an export's manifest, a model's model.json); anything else is refused and left
// byte for byte as it was, whatever the caller's flags.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { ApiError } from '../../shared/contract.ts';
import { faultPoint, type FaultStage } from './faults.ts';
import { MODEL_FILE } from '../engine/bundle/save.ts';

/** Says whether an existing, non-empty folder is one the workbench may replace. */
export interface FolderGuard {
  /** What the folder must be, for the refusal message ("a MoE Workbench export"). */
  what: string;
  owns(dir: string): Promise<boolean>;
}

/** A folder holding `marker` (a file) is one of ours. */
export function markerGuard(what: string, marker: string, check: (text: string) => boolean = () => true): FolderGuard {
  return {
    what,
    async owns(dir) {
      try {
        const st = await lstat(join(dir, marker));
        if (!st.isFile()) return false;
        return check(await readFile(join(dir, marker), 'utf8'));
      } catch {
        return false;
      }
    },
  };
}

/** Folders the workbench saves models and checkpoints into: replaceable only when they hold a saved model. */
export const BUNDLE_GUARD = markerGuard(`a saved model or checkpoint (no ${MODEL_FILE})`, MODEL_FILE);

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Throws a `conflict` ApiError unless `dir` is absent, an empty folder, or a folder the guard
 * recognises. Never changes anything.
 */
export async function assertReplaceable(dir: string, guard: FolderGuard): Promise<'absent' | 'empty' | 'ours'> {
  const st = await lstatOrNull(dir);
  if (st === null) return 'absent';
  if (st.isSymbolicLink()) throw new ApiError('conflict', `${dir} is a symbolic link; refusing to replace it (nothing was changed). Choose a new or empty folder.`);
  if (!st.isDirectory()) throw new ApiError('conflict', `${dir} exists and is not a folder; refusing to replace it (nothing was changed). Choose a new or empty folder.`);
  if ((await readdir(dir)).length === 0) return 'empty';
  if (await guard.owns(dir)) return 'ours';
  throw new ApiError('conflict', `${dir} is not empty and is not ${guard.what}; refusing to replace it (nothing was changed). Choose a new or empty folder.`);
}

/**
 * Moves the finished folder `tmp` to `dir`. An existing `dir` must pass the guard; it is renamed
 * aside first, so `dir` is at every moment either the old folder or the new one, and removed once
 * the new one is in place (it was checked to be ours).
 */
export async function replaceDir(tmp: string, dir: string, guard: FolderGuard, stage?: FaultStage): Promise<void> {
  if (stage) await faultPoint(stage, dir);
  const found = await assertReplaceable(dir, guard);
  if (found === 'absent') {
    await rename(tmp, dir);
    return;
  }
  const old = join(dirname(dir), `.${basename(dir)}.replaced-${process.pid}-${Date.now()}`);
  await rename(dir, old);
  try {
    await rename(tmp, dir);
  } catch (error) {
    await rename(old, dir);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

/** Writes a folder through `write(tmp)` into a temporary sibling, then replaces `dir` with it (see replaceDir). */
export async function writeAtomically(dir: string, guard: FolderGuard, write: (tmp: string) => Promise<void>, stage?: FaultStage): Promise<void> {
  // Refuse before doing any work, and again (inside replaceDir) at the moment of replacing.
  await assertReplaceable(dir, guard);
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await write(tmp);
    await replaceDir(tmp, dir, guard, stage);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Names of the temporary folders this module (and registration) writes, each with its writer's pid. */
const TEMP_NAME = /^\.[^/]+\.(?:tmp|export|replaced)-(\d+)-\d+$|^add-(\d+)-[A-Za-z0-9]+$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary folders left by a killed process: only folders named as this module names
 * them, directly inside `dirs`, whose writer (the pid in the name) is no longer running. Returns
 * what it removed.
 */
export async function sweepStaleTemps(dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const m = TEMP_NAME.exec(e.name);
      if (!m || !e.isDirectory()) continue;
      const pid = Number(m[1] ?? m[2]);
      if (pid === process.pid || pidAlive(pid)) continue;
      await rm(join(dir, e.name), { recursive: true, force: true });
      removed.push(join(dir, e.name));
    }
  }
  return removed;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every file under dir (recursively) with its path relative to `base`, sha256 and size, sorted by path. */
export async function hashTree(dir: string, base: string): Promise<{ path: string; sha256: string; bytes: number }[]> {
  const out: { path: string; sha256: string; bytes: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out.push({ path: relative(base, full), sha256: await sha256File(full), bytes: (await stat(full)).size });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
