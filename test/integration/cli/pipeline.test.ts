// The pipeline through the real CLI, each step a separate process on one home: experts, an
// assembly, growing it by one expert, history, replay (bit-identical on the same backend),
// export -> predict in a fresh process, export -> import -> export with identical hashes.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, SAMPLES, tempHome } from './cli-helpers.ts';

interface RunJson { id: number; kind: string; status: string; metrics: { test: Record<string, unknown> } }
interface AssemblyJson extends RunJson {
  parent: number | null;
  workers: number;
  experts: number[];
  baselines: { expert: unknown; uniform: unknown; dense: unknown };
  routing: { purity: Record<string, number>; load: number[]; entropy: number; dropped: number };
}

const home = tempHome();
const ok = async (args: string[]) => {
  const r = await cli(home, [...args, '--json']);
  if (r.code !== 0) throw new Error(`moe-workbench ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r.json;
};

let experts: RunJson[];
let assembly: AssemblyJson;

beforeAll(async () => {
  await ok(['datasets', 'add', join(SAMPLES, 'recommendation', 'ratings.csv'), '--kind', 'recommendation', '--name', 'ratings']);
  await ok(['datasets', 'add', join(SAMPLES, 'texture'), '--kind', 'texture', '--name', 'textures']);
  await ok(['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam']);
  experts = (await ok(['train', 'expert', '--dataset', 'ratings', 'textures', 'spam', '--epochs', '2', '--seed', '7'])) as RunJson[];
  assembly = (await ok(['assemble', '--experts', `${experts[0].id},${experts[1].id}`, '--epochs', '1', '--seed', '7'])) as AssemblyJson;
});

describe('pipeline through the CLI', () => {
  it('trains experts in parallel, each with its test metrics', async () => {
    expect(experts.map((e) => [e.kind, e.status])).toEqual([['expert', 'completed'], ['expert', 'completed'], ['expert', 'completed']]);
    expect(Object.keys(experts[0].metrics.test).sort()).toEqual(['mae', 'rmse']);
    expect(Object.keys(experts[1].metrics.test).sort()).toEqual(['accuracy', 'macro_f1']);
  });

  it('assembles with baselines and routing in the documented shape', async () => {
    expect(assembly).toMatchObject({ kind: 'assembly', status: 'completed', parent: null, experts: [experts[0].id, experts[1].id] });
    for (const baseline of [assembly.baselines.expert, assembly.baselines.uniform, assembly.baselines.dense, assembly.metrics.test]) {
      expect(Object.keys(baseline as object).sort()).toEqual(['ratings', 'textures']);
    }
    expect(assembly.routing.load).toHaveLength(2);
    expect(assembly.routing.load.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Different modalities: the gate sends each domain to its own expert.
    expect(assembly.routing.purity.ratings).toBeGreaterThanOrEqual(0.9);
    expect(assembly.routing.purity.textures).toBeGreaterThanOrEqual(0.9);
    // With a second core free, the dense baseline trains on a helper worker beside joint fine-tuning.
    expect(assembly.workers).toBe(availableParallelism() >= 2 ? 2 : 1);
  });

  it('grows the assembly by one expert as a child run', async () => {
    const grown = (await ok(['assemble', '--from', String(assembly.id), '--add', String(experts[2].id), '--epochs', '1'])) as AssemblyJson;
    expect(grown).toMatchObject({ status: 'completed', parent: assembly.id, experts: [experts[0].id, experts[1].id, experts[2].id] });
    expect(Object.keys(grown.metrics.test).sort()).toEqual(['ratings', 'spam', 'textures']);
    const show = (await ok(['runs', 'show', String(assembly.id)])) as { children: number[] };
    expect(show.children).toContain(grown.id);
  });

  it('replays an expert and an assembly bit for bit', async () => {
    for (const id of [experts[0].id, assembly.id]) {
      const verdict = await ok(['replay', String(id)]);
      expect(verdict).toMatchObject({ replay_of: id, status: 'completed', reproduced: true, max_abs_diff: 0, backend_same: true });
    }
  });

  it('lists, filters and compares runs', async () => {
    const all = (await ok(['runs', 'list'])) as { id: number; kind: string }[];
    expect(all.filter((r) => r.kind === 'replay')).toHaveLength(2);
    expect(((await ok(['runs', 'list', '--kind', 'expert'])) as unknown[]).length).toBe(3);
    expect(((await ok(['runs', 'list', '--dataset', 'textures'])) as { id: number }[]).map((r) => r.id)).toContain(assembly.id);
    const cmp = (await ok(['runs', 'compare', String(experts[0].id), String(experts[1].id)])) as { configDiff: { path: string }[] };
    expect(cmp.configDiff.map((d) => d.path)).toContain('dataset');
  });

  it('exports, predicts in a fresh process like the app, and round-trips through import', async () => {
    const out = join(tempHome(), 'export');
    const exported = (await ok(['export', String(assembly.id), out])) as { dir: string; files: string[] };
    expect(exported.files).toContain('manifest.json');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'moe-workbench-export', format_version: 1, source_run: { id: assembly.id, type: 'assembly' } });

    const predicted = (await ok(['predict', out, '--task', 'ratings', '--input', 'u1,i1'])) as { task: string; prediction: number; routing: { experts: { expert: string; weight: number }[] } };
    expect(predicted.task).toBe('ratings');
    expect(typeof predicted.prediction).toBe('number');
    expect(predicted.routing.experts.reduce((a, e) => a + e.weight, 0)).toBeCloseTo(1, 5);

    const again = await cli(home, ['export', String(assembly.id), out, '--json']);
    // A non-empty folder is refused (a conflict: exit 1) unless --force.
    expect(again.code).toBe(1);
    expect(JSON.stringify(again.json)).toMatch(/not empty/);

    const imported = (await ok(['import', out])) as { id: number };
    const out2 = join(tempHome(), 're-export');
    await ok(['export', String(imported.id), out2]);
    const hashes = (dir: string) => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).components as { path: string; sha256: string }[]);
    expect(hashes(out2)).toEqual(hashes(out));
  });

  it('refuses to remove a dataset runs used unless forced; a replay on removed data is refused', async () => {
    const refused = await cli(home, ['datasets', 'remove', 'spam', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.stringify(refused.json)).toMatch(/used by run/);
    await ok(['datasets', 'remove', 'spam', '--force']);
    expect(((await ok(['datasets', 'list'])) as { name: string }[]).map((d) => d.name)).toEqual(['ratings', 'textures']);
    const replay = await cli(home, ['replay', String(experts[2].id), '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.stringify(replay.json)).toMatch(/removed/);
  });
});
