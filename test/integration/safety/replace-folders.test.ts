// Every place that replaces or deletes a folder touches only folders the workbench wrote:
// `export --force` replaces only a previous export (its manifest.json says so), checkpoints and
// models replace only saved bundles, `datasets remove` deletes only prepared dataset folders inside
// the home. Anything else is refused and left byte for byte as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract.ts';
import { exportRun, EXPORT_GUARD } from '../../../electron/api/handlers/export.ts';
import { removeDataset } from '../../../electron/api/handlers/datasets.ts';
import { markerGuard, sweepStaleTemps, writeAtomically } from '../../../electron/api/fs-atomic.ts';
import { spawnSync } from 'node:child_process';
import { cli } from '../cli/cli-helpers.ts';
import { homeWithCompletedRun, snapshotTree, tempDir, userFolder, type Fixture } from './home-fixture.ts';

let fixture: Fixture | null = null;
afterEach(() => {
  fixture?.store.close();
  fixture = null;
});

async function refused(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const siblingsOf = (dir: string) => readdirSync(dirname(dir)).filter((n) => n.startsWith(`.${dir.split('/').pop()}.`));

describe('export --force', () => {
  it.each([
    ['no manifest', undefined],
    ['a manifest.json of another format', { format: 'something-else', format_version: 1 }],
    ['a manifest.json that is not JSON', '{ not json'],
  ])('refuses a non-empty folder with %s, with or without force, and leaves it byte-identical', async (_what, manifest) => {
    fixture = await homeWithCompletedRun();
    const dir = userFolder(manifest);
    const before = snapshotTree(dir);
    for (const force of [false, true]) {
      const error = await refused(exportRun(fixture.store, fixture.training, fixture.runId, dir, force));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/is not a MoE Workbench export.*refusing to replace it \(nothing was changed\)/);
      expect(snapshotTree(dir)).toEqual(before);
      expect(siblingsOf(dir)).toEqual([]);
    }
  });

  it('refuses a file, and a symbolic link to a folder, in place of DIR', async () => {
    fixture = await homeWithCompletedRun();
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), 'keep me');
    const target = userFolder();
    symlinkSync(target, join(parent, 'link'));
    const before = snapshotTree(parent);
    const targetBefore = snapshotTree(target);
    expect((await refused(exportRun(fixture.store, fixture.training, fixture.runId, join(parent, 'file'), true))).message).toMatch(/is not a folder/);
    expect((await refused(exportRun(fixture.store, fixture.training, fixture.runId, join(parent, 'link'), true))).message).toMatch(/symbolic link/);
    expect(snapshotTree(parent)).toEqual(before);
    expect(snapshotTree(target)).toEqual(targetBefore);
  });

  it('writes into an empty folder; replaces a previous export only with force, leaving no temporary sibling', async () => {
    fixture = await homeWithCompletedRun();
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    const first = await exportRun(fixture.store, fixture.training, fixture.runId, dir, false);
    expect(first.files).toEqual(['manifest.json', 'model.json', 'weights.bin']);
    const exported = snapshotTree(dir);
    const conflict = await refused(exportRun(fixture.store, fixture.training, fixture.runId, dir, false));
    expect(conflict.message).toMatch(/is not empty: it holds an earlier export; pass --force/);
    expect(snapshotTree(dir)).toEqual(exported);
    writeFileSync(join(dir, 'stale.txt'), 'from the old export');
    await exportRun(fixture.store, fixture.training, fixture.runId, dir, true);
    expect(existsSync(join(dir, 'stale.txt'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).format).toBe('moe-workbench-export');
    expect(siblingsOf(dir)).toEqual([]);
    expect(await EXPORT_GUARD.owns(dir)).toBe(true);
  });

  it('the CLI refuses with exit code 1, one message and no stack trace', async () => {
    fixture = await homeWithCompletedRun();
    const dir = userFolder();
    const before = snapshotTree(dir);
    const result = await cli(fixture.home, ['export', String(fixture.runId), dir, '--force']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not empty and is not a MoE Workbench export`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('checkpoint and model folders', () => {
  const guard = markerGuard('a saved model or checkpoint (no model.json)', 'model.json');
  const save = async (tmp: string) => {
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'model.json'), '{"new":true}');
  };

  it('replaces a previous bundle and refuses a folder that is not one', async () => {
    const root = tempDir();
    const bundle = join(root, 'checkpoint');
    await writeAtomically(bundle, guard, save);
    writeFileSync(join(bundle, 'old.bin'), 'x');
    await writeAtomically(bundle, guard, save);
    expect(readdirSync(bundle)).toEqual(['model.json']);
    const foreign = join(root, 'model');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'years of work');
    const before = snapshotTree(root);
    let wrote = false;
    const error = await refused(writeAtomically(foreign, guard, async (tmp) => ((wrote = true), save(tmp))));
    expect(error.message).toMatch(/is not a saved model or checkpoint/);
    expect(wrote).toBe(false);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a failed write leaves the previous bundle and no temporary folder', async () => {
    const root = tempDir();
    const bundle = join(root, 'checkpoint');
    await writeAtomically(bundle, guard, save);
    const before = snapshotTree(root);
    await expect(writeAtomically(bundle, guard, async (tmp) => (await save(tmp), Promise.reject(new Error('disk gone'))))).rejects.toThrow('disk gone');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('temporary folders of killed processes', () => {
  it('are removed only when named as the workbench names them and their writer is gone', async () => {
    const root = tempDir();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const names = [`.checkpoint.tmp-${dead}-1`, `.model.replaced-${dead}-2`, `add-${dead}-AbC123`, `.checkpoint.tmp-${process.pid}-3`, `.checkpoint.tmp-1-4`, '.notes.tmp-old', `checkpoint.tmp-${dead}-5`, 'model'];
    for (const n of names) {
      mkdirSync(join(root, n));
      writeFileSync(join(root, n, 'f'), 'x');
    }
    writeFileSync(join(root, `.file.tmp-${dead}-6`), 'a file, not a folder');
    const removed = await sweepStaleTemps([root]);
    expect(removed.map((r) => r.slice(root.length + 1)).sort()).toEqual([`.checkpoint.tmp-${dead}-1`, `.model.replaced-${dead}-2`, `add-${dead}-AbC123`].sort());
    expect(readdirSync(root).sort()).toEqual([`.checkpoint.tmp-${process.pid}-3`, '.checkpoint.tmp-1-4', `.file.tmp-${dead}-6`, '.notes.tmp-old', `checkpoint.tmp-${dead}-5`, 'model'].sort());
  });
});

describe('datasets remove', () => {
  it('deletes a prepared dataset folder inside the home, never one outside it or without meta.json', async () => {
    fixture = await homeWithCompletedRun();
    const { store, home } = fixture;
    const add = (name: string, dir: string) =>
      store.datasets.insert({
        name, kind: 'semantics', hash: name, splitSeed: 42, format: 'csv', implicit: false, source: '/x.csv', dir,
        counts: { train: 8, validation: 1, test: 1 }, labels: ['a', 'b'], warnings: [], stats: {}, preview: [],
      });
    const ours = join(home, 'datasets', 'ours-s42');
    mkdirSync(ours);
    writeFileSync(join(ours, 'meta.json'), '{}');
    writeFileSync(join(ours, 'records.jsonl'), '{}\n');
    add('ours', 'datasets/ours-s42');
    const noMeta = join(home, 'datasets', 'nometa-s42');
    mkdirSync(noMeta);
    writeFileSync(join(noMeta, 'records.jsonl'), 'user data\n');
    add('nometa', 'datasets/nometa-s42');
    const outside = userFolder({});
    writeFileSync(join(outside, 'meta.json'), '{}');
    add('outside', outside);
    add('home', '.');
    const before = { noMeta: snapshotTree(noMeta), outside: snapshotTree(outside), home: Object.keys(snapshotTree(home)).filter((k) => !k.startsWith('datasets/ours')) };
    for (const name of ['ours', 'nometa', 'outside', 'home']) await removeDataset(store, name, false);
    expect(existsSync(ours)).toBe(false);
    expect(snapshotTree(noMeta)).toEqual(before.noMeta);
    expect(snapshotTree(outside)).toEqual(before.outside);
    expect(Object.keys(snapshotTree(home)).filter((k) => !k.startsWith('workbench.db'))).toEqual(before.home.filter((k) => !k.startsWith('workbench.db')));
    expect(store.datasets.list()).toEqual([]);
  });
});
