// The workbench home: the database file and the folders that hold dataset versions, run
// weights and checkpoints, and temporary work (renamed into place when complete).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomeLayout {
  root: string;
  database: string;
  datasets: string;
  runs: string;
  tmp: string;
}

/** --home DIR, else MOE_WORKBENCH_HOME, else ~/.moe-workbench. */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.MOE_WORKBENCH_HOME) return resolve(env.MOE_WORKBENCH_HOME);
  return join(homedir(), '.moe-workbench');
}

export function layoutOf(root: string): HomeLayout {
  return { root, database: join(root, 'workbench.db'), datasets: join(root, 'datasets'), runs: join(root, 'runs'), tmp: join(root, 'tmp') };
}

export function ensureHome(root: string): HomeLayout {
  const layout = layoutOf(root);
  for (const dir of [layout.root, layout.datasets, layout.runs, layout.tmp]) mkdirSync(dir, { recursive: true });
  return layout;
}
