// Damaged files: a store that is not SQLite, truncated, or from a newer app; a model folder with a
// missing or altered weight file; a dataset folder edited after registration; a full disk or a
// read-only home during registration, checkpointing and export (MOE_WORKBENCH_FAULT). Each gives
// one clear error naming the file and what to do, exit code 1, no stack trace, and the store and
// every file already stored are unchanged.
import Database from 'better-sqlite3';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { predictFromRun } from '../../../electron/api/handlers/predict.ts';
import { LATEST_VERSION } from '../../../electron/store/migrations/index.ts';
import { openStore } from '../../../electron/store/index.ts';
import { ApiError } from '../../../shared/contract.ts';
import { cli, SAMPLES, tempHome, type CliResult } from '../cli/cli-helpers.ts';
import { homeWithCompletedRun, snapshotTree, tempDir, type Fixture } from './home-fixture.ts';

let fixture: Fixture | null = null;
afterEach(() => {
  fixture?.store.close();
  fixture = null;
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One line on stderr, starting `error: `, no stack frames, the given exit code. */
function expectOneError(result: CliResult, pattern: RegExp, code = 1): void {
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).toMatch(/^error: /);
  expect(result.stderr).not.toMatch(/\n\s+at |Error: |node:internal/);
  expect(result.stderr.split('\n')[0]).toMatch(pattern);
}

/** Every row of every table, for "the store is unchanged". */
function dumpStore(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]));
  } finally {
    db.close();
  }
}

function smallRatings(dir: string, rows = 300): string {
  const [header, ...rest] = readFileSync(join(SAMPLES, 'recommendation', 'ratings.csv'), 'utf8').trim().split('\n');
  const file = join(dir, 'ratings.csv');
  writeFileSync(file, `${[header, ...rest.slice(0, rows)].join('\n')}\n`);
  return file;
}

describe('a damaged store file', () => {
  it('not SQLite: refused by name, the file unchanged', async () => {
    const home = tempHome();
    const file = join(home, 'workbench.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(20));
    const before = readFileSync(file);
    expectOneError(await cli(home, ['datasets', 'list']), new RegExp(`^error: ${escape(file)} is not a MoE Workbench store \\(not an SQLite database, 700 bytes\\)\\. Move it aside .* or use another --home; it was not changed\\.$`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('truncated: refused by name, the file unchanged', async () => {
    const home = tempHome();
    const store = openStore(home);
    for (let i = 0; i < 200; i++) store.runs.create({ kind: 'expert', name: `run ${i}`, config: { padding: 'x'.repeat(500) }, seed: i, backend: 'wasm', versions: {}, datasetVersionIds: [] });
    store.close();
    const file = join(home, 'workbench.db');
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    const before = readFileSync(file);
    expectOneError(await cli(home, ['runs', 'list']), new RegExp(`^error: ${escape(file)} is damaged: truncated to \\d+ bytes, its header says ${size}\\. Restore it from a backup`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('from a newer app: refused by name, the file unchanged', async () => {
    const home = tempHome();
    openStore(home).close();
    const file = join(home, 'workbench.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    expectOneError(await cli(home, ['runs', 'list', '--json']).then((r) => ({ ...r, stderr: `error: ${(r.json as { error: { message: string } }).error.message}` })), new RegExp(`^error: ${escape(file)} was written by a newer MoE Workbench \\(schema version ${LATEST_VERSION + 1}; this app knows up to ${LATEST_VERSION}\\)\\. Update the app, or use another --home\\.$`));
    expectOneError(await cli(home, ['runs', 'list']), /newer MoE Workbench/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('a damaged model folder', () => {
  it.each([
    ['altered', (f: string) => appendFileSync(f, Buffer.from([0])), /weights\.bin \(altered: 9 bytes, 8 when it was written\)/],
    ['altered in place', (f: string) => writeFileSync(f, Buffer.from([9, 9, 9, 9, 9, 9, 9, 9])), /weights\.bin \(altered: its sha256 differs/],
    ['missing', (f: string) => rmSync(f), /weights\.bin \(missing\)/],
  ])('%s weight file: export and predict refuse it, nothing stored changes', async (_what, damage, detail) => {
    fixture = await homeWithCompletedRun();
    damage(join(fixture.modelDir, 'weights.bin'));
    const db = join(fixture.home, 'workbench.db');
    const stored = dumpStore(db);
    const target = join(tempDir(), 'out');
    const result = await cli(fixture.home, ['export', String(fixture.runId), target]);
    expectOneError(result, new RegExp(`^error: the model of run ${fixture.runId} is damaged: ${escape(fixture.modelDir)}/${detail.source}.*Nothing was changed\\. Restore the file, or train the run again`));
    expect(existsSync(target)).toBe(false);
    const predicted = await predictFromRun(fixture.store, fixture.training, { id: fixture.runId, task: 'd', input: { text: 'x' } }).then(() => null, (e: unknown) => e);
    expect(predicted).toBeInstanceOf(ApiError);
    expect((predicted as ApiError).message).toMatch(detail);
    expect(dumpStore(db)).toEqual(stored);
  });
});

describe('a dataset folder edited after registration', () => {
  it('training on it is refused with the file named; the registered version is unchanged', async () => {
    const home = tempHome();
    const added = await cli(home, ['datasets', 'add', smallRatings(tempDir()), '--kind', 'recommendation', '--name', 'r', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const [folder] = readdirSync(join(home, 'datasets'));
    const records = join(home, 'datasets', folder, 'records.jsonl');
    appendFileSync(records, '{"edited": true}\n');
    const trained = await cli(home, ['train', 'expert', '--dataset', 'r', '--epochs', '1']);
    expectOneError(trained, new RegExp(`^error: run 1 failed: dataset r \\(version [0-9a-f]{12}\\) is damaged: ${escape(records)} \\(altered: .*\\)\\. Its folder was changed after registration\\. Register the source again`));
    const shown = (await cli(home, ['datasets', 'show', 'r', '--json'])).json as { name: string; counts: unknown };
    expect(shown.name).toBe('r');
  }, 120_000);
});

describe('a full disk or a read-only home', () => {
  it('during registration: nothing registered, nothing left behind, earlier datasets intact', async () => {
    const home = tempHome();
    const input = tempDir();
    const first = await cli(home, ['datasets', 'add', smallRatings(input, 200), '--kind', 'recommendation', '--name', 'first']);
    expect(first.code, first.stderr).toBe(0);
    const stored = dumpStore(join(home, 'workbench.db'));
    const datasetsBefore = snapshotTree(join(home, 'datasets'));
    for (const fault of ['EROFS', 'ENOSPC']) {
      const second = join(input, `second-${fault}.csv`);
      writeFileSync(second, readFileSync(smallRatings(input, 250)));
      const result = await cli(home, ['datasets', 'add', second, '--kind', 'recommendation', '--name', 'second'], { MOE_WORKBENCH_FAULT: `${fault}:register` });
      const what = fault === 'EROFS' ? 'read-only file system' : 'no space left on device';
      const remedy = fault === 'EROFS' ? 'make the folder writable' : 'free some space and try again';
      expectOneError(result, new RegExp(`^error: registration of ${escape(second)} failed: ${what} writing ${escape(join(home, 'datasets'))}/[0-9a-f]+-s42 \\(${fault}\\); ${remedy}.*\\. Nothing already stored was changed\\.$`));
    }
    expect(dumpStore(join(home, 'workbench.db'))).toEqual(stored);
    expect(snapshotTree(join(home, 'datasets'))).toEqual(datasetsBefore);
    expect(readdirSync(join(home, 'tmp'))).toEqual([]);
  });

  it('during export: no folder written, no temporary sibling, the store unchanged', async () => {
    fixture = await homeWithCompletedRun();
    const parent = tempDir();
    const target = join(parent, 'out');
    const db = join(fixture.home, 'workbench.db');
    const stored = dumpStore(db);
    const result = await cli(fixture.home, ['export', String(fixture.runId), target], { MOE_WORKBENCH_FAULT: 'ENOSPC:export' });
    expectOneError(result, new RegExp(`^error: export of run ${fixture.runId} to ${escape(target)} failed: no space left on device writing ${escape(parent)}/\\.out\\.export-[^ ]+/manifest\\.json \\(ENOSPC\\); free some space`));
    expect(readdirSync(parent)).toEqual([]);
    expect(dumpStore(db)).toEqual(stored);
  });

  it('during checkpointing: the run fails with the message, earlier runs and files intact', async () => {
    fixture = await homeWithCompletedRun();
    const { home } = fixture;
    const modelBefore = snapshotTree(fixture.modelDir);
    fixture.store.close();
    fixture = null;
    const added = await cli(home, ['datasets', 'add', smallRatings(tempDir()), '--kind', 'recommendation', '--name', 'r']);
    expect(added.code, added.stderr).toBe(0);
    const trained = await cli(home, ['train', 'expert', '--dataset', 'r', '--epochs', '2'], { MOE_WORKBENCH_FAULT: 'ENOSPC:checkpoint' });
    expectOneError(trained, new RegExp(`^error: run 2 failed: training run 2 failed: no space left on device writing ${escape(join(home, 'runs', '2', 'checkpoint'))} \\(ENOSPC\\); free some space and try again\\. Nothing already stored was changed\\.$`));
    const runs = (await cli(home, ['runs', 'list', '--json'])).json as { id: number; status: string }[];
    expect(runs.map((r) => [r.id, r.status])).toEqual([[2, 'failed'], [1, 'completed']]);
    expect(snapshotTree(join(home, 'runs', '1', 'model'))).toEqual(modelBefore);
    expect(readdirSync(join(home, 'runs', '2')).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});
