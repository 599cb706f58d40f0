// The router bench and expert removal through the real CLI on two built-in samples: all six
// methods as children of one eval run, every field of the documented JSON, the best method per
// domain and each method's distance from oracle in the text; then an expert removed from one
// child assembly, with the remaining domain's metrics before and after.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTER_METHODS } from '../../../shared/config.ts';
import { RouterBench } from '../../../shared/contract.ts';
import { cli, SAMPLES, tempHome } from './cli-helpers.ts';

const home = tempHome();
const ok = async (args: string[], json = true) => {
  const r = await cli(home, json ? [...args, '--json'] : args);
  if (r.code !== 0) throw new Error(`moe-workbench ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return json ? r.json : r.stdout;
};

let experts: { id: number }[];
let bench: RouterBench;

beforeAll(async () => {
  await ok(['datasets', 'add', join(SAMPLES, 'texture'), '--kind', 'texture', '--name', 'textures']);
  await ok(['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam']);
  experts = (await ok(['train', 'expert', '--dataset', 'textures', 'spam', '--epochs', '2', '--seed', '7'])) as { id: number }[];
  bench = RouterBench.parse(await ok(['router-bench', '--experts', experts.map((e) => e.id).join(','), '--epochs', '1', '--seed', '7']));
}, 600_000);

describe('router bench through the CLI', () => {
  it('runs all six methods as children of one eval run, with every field', async () => {
    expect(bench.status).toBe('completed');
    expect(Object.keys(bench.methods)).toEqual([...ROUTER_METHODS]);
    for (const [method, m] of Object.entries(bench.methods)) {
      expect(m.status, method).toBe('completed');
      for (const field of [m.metrics, m.retention, m.purity]) expect(Object.keys(field).sort(), method).toEqual(['spam', 'textures']);
      expect(m.build_s, method).toBeGreaterThanOrEqual(0);
      expect(m.entropy, method).toBeGreaterThanOrEqual(0);
      expect(m.load.reduce((a, l) => a + l, 0), method).toBeCloseTo(1, 5);
    }
    expect(bench.methods.oracle.purity).toEqual({ spam: 1, textures: 1 });
    expect(Object.keys(bench.best).sort()).toEqual(['spam', 'textures']);
    expect(Object.values(bench.best)).not.toContain('oracle');
    const parent = (await ok(['runs', 'show', String(bench.id)])) as { kind: string; children: number[] };
    expect(parent.kind).toBe('eval');
    expect(parent.children).toEqual(Object.values(bench.methods).map((m) => m.run));
    const child = (await ok(['runs', 'show', String(bench.methods.closed_form.run)])) as { config: { router: { method: string } } };
    expect(child.config.router.method).toBe('closed_form');
  });

  it('the text marks the best method per domain and each distance from oracle', async () => {
    const text = (await ok(['router-bench', '--experts', experts.map((e) => e.id).join(','), '--methods', 'uniform,oracle', '--epochs', '1'], false)) as string;
    expect(text).toMatch(/best for spam: uniform/);
    expect(text).toMatch(/best for textures: uniform/);
    expect(text).toMatch(/\*\tuniform\t\d+\t[\d.]+\t[\d.]+\t[\d.]+\t[+-][\d.]+/);
    expect(text).toMatch(/\toracle\t\d+\t.*\treference\t/);
    expect(text).toMatch(/\noracle\t0\.000\t/);
  }, 300_000);

  it('removes an expert by dataset name: a child run with the remaining domain before and after', async () => {
    const from = bench.methods.embedding.run as number;
    const removed = (await ok(['assemble', '--from', String(from), '--remove', 'textures'])) as {
      status: string; parent: number; datasets: string[]; metrics: { test: Record<string, Record<string, number>> }; before: Record<string, Record<string, number>>; router: { method: string };
    };
    expect(removed).toMatchObject({ status: 'completed', parent: from, datasets: ['spam'], router: { method: 'embedding' } });
    expect(Object.keys(removed.before)).toEqual(['spam']);
    expect(Object.keys(removed.metrics.test)).toEqual(['spam']);
    expect(Math.abs(removed.metrics.test.spam.accuracy - removed.before.spam.accuracy)).toBeLessThanOrEqual(0.01);
  }, 300_000);
});
