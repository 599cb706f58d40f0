// `datasets` through the real CLI: samples register with their counts, identical data is a no-op,
// and every malformed input is refused with file and line, exit 2, and nothing stored.
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, SAMPLES, tempHome } from './cli-helpers.ts';

const MALFORMED = join(process.cwd(), 'test', 'fixtures', 'datasets', 'malformed');

function rowCounts(home: string): Record<string, number> {
  const db = new Database(join(home, 'workbench.db'), { readonly: true });
  const out: Record<string, number> = {};
  for (const t of ['datasets', 'dataset_versions', 'runs']) out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  db.close();
  return out;
}

describe('datasets CLI', () => {
  it('info --json names the backend, versions and home', async () => {
    const home = tempHome();
    const r = await cli(home, ['info', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ backend: 'wasm', home, versions: { node: expect.stringMatching(/^2[2-9]\./), tfjs: '4.22.0' } });
  });

  it('registers a sample, says so when re-added unchanged, and lists it', async () => {
    const home = tempHome();
    const first = await cli(home, ['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const doc = first.json as { name: string; kind: string; version: string; counts: Record<string, number>; labels: string[]; created: boolean };
    expect(doc).toMatchObject({ name: 'spam', kind: 'semantics', created: true, labels: ['ham', 'spam'] });
    expect(doc.version).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.counts.train + doc.counts.validation + doc.counts.test).toBeGreaterThan(500);
    const again = await cli(home, ['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam', '--json']);
    expect(again.json).toMatchObject({ created: false, version: doc.version });
    const text = await cli(home, ['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam']);
    expect(text.stdout).toMatch(/unchanged/);
    const list = (await cli(home, ['datasets', 'list', '--json'])).json as { name: string }[];
    expect(list.map((d) => d.name)).toEqual(['spam']);
    expect(rowCounts(home)).toEqual({ datasets: 1, dataset_versions: 1, runs: 0 });
  });

  const cases = readdirSync(MALFORMED).flatMap((kind) => readdirSync(join(MALFORMED, kind)).map((f) => [kind, f] as const));
  it('has at least five malformed inputs per kind', () => {
    for (const kind of ['syntax', 'semantics', 'texture', 'recommendation']) expect(cases.filter(([k]) => k === kind).length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('refuses %s/%s with file and line, exit 2, nothing stored', async (kind, file) => {
    const home = tempHome();
    await cli(home, ['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'keep', '--json']);
    const before = rowCounts(home);
    const filesBefore = readdirSync(join(home, 'datasets')).length;
    const r = await cli(home, ['datasets', 'add', join(MALFORMED, kind, file), '--kind', kind, '--name', 'bad', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const errors = (r.json as { errors: { file: string; line: number | null; message: string }[] }).errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.file).toContain(join(MALFORMED, kind));
      expect(e.message.length).toBeGreaterThan(3);
    }
    expect(rowCounts(home)).toEqual(before);
    expect(readdirSync(join(home, 'datasets')).length).toBe(filesBefore);
    expect(readdirSync(join(home, 'tmp'))).toEqual([]);
    expect(((await cli(home, ['datasets', 'list', '--json'])).json as { name: string }[]).map((d) => d.name)).toEqual(['keep']);
  });

  it('exits 2 with a clear message on bad arguments', async () => {
    const home = tempHome();
    const r = await cli(home, ['datasets', 'add', SAMPLES, '--kind', 'poetry', '--name', 'x', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.stringify(r.json)).toMatch(/kind/);
  });
});
