// The first run's API: `samples.add` registers the four built-in samples from the folder the host
// names (the packaged app's resources), again without writing anything; a samples folder
// without them fails naming each missing one; `demo.status` starts idle, and a second
// `demo.start` while one runs is refused (the demo itself runs in the end-to-end test).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_SAMPLES, DEFAULT_SAMPLES_DIR } from '../../../electron/api/samples.ts';
import { openWorkbench, type Workbench } from '../../../electron/api/workbench.ts';

const opened: { wb: Workbench; dirs: string[] }[] = [];
afterEach(async () => {
  for (const { wb, dirs } of opened.splice(0)) {
    await wb.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

async function open(samplesDir: string, ...dirs: string[]): Promise<Workbench> {
  const home = mkdtempSync(join(tmpdir(), 'moe-first-run-'));
  const wb = await openWorkbench({ home, samplesDir, parallel: 1 });
  opened.push({ wb, dirs: [home, ...dirs] });
  return wb;
}

describe('first run API', () => {
  it('adds the four built-in samples from the host-given folder, once', async () => {
    // A copy stands for the packaged app's <resources>/samples.
    const resources = mkdtempSync(join(tmpdir(), 'moe-resources-'));
    cpSync(DEFAULT_SAMPLES_DIR, join(resources, 'samples'), { recursive: true });
    const wb = await open(join(resources, 'samples'), resources);
    const first = await wb.dispatch('samples.add', {});
    expect(first.ok).toBe(true);
    const names = (first as { value: { datasets: { name: string; kind: string }[] } }).value.datasets.map((d) => [d.name, d.kind]);
    expect(names).toEqual(BUILT_IN_SAMPLES.map((s) => [s.name, s.kind]));
    expect(wb.store.datasets.list().map((d) => d.name).sort()).toEqual(BUILT_IN_SAMPLES.map((s) => s.name).sort());
    const shown = await wb.dispatch('datasets.show', { name: 'spam-ham' });
    expect((shown as { value: { source: string } }).value.source).toBe(join(resources, 'samples', 'semantics', 'spam-ham.csv'));
    // Again: the same four, nothing new written.
    const versions = wb.store.datasets.list().map((d) => d.name);
    expect((await wb.dispatch('samples.add', {})).ok).toBe(true);
    expect(wb.store.datasets.list().map((d) => d.name)).toEqual(versions);
  });

  it('names every sample missing from the folder and registers none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'moe-no-samples-'));
    const wb = await open(empty, empty);
    const answer = await wb.dispatch('samples.add', {});
    expect(answer.ok).toBe(false);
    const error = (answer as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('not_found');
    for (const s of BUILT_IN_SAMPLES) expect(error.message).toContain(join(empty, s.file));
    expect(wb.store.datasets.list()).toEqual([]);
  });

  it('reports the demo idle, and refuses a second start while one runs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'moe-no-samples-'));
    const wb = await open(empty, empty);
    expect(await wb.dispatch('demo.status', {})).toMatchObject({ ok: true, value: { status: 'idle', result: null } });
    const events: { status: string; error: string | null }[] = [];
    wb.subscribe((event, payload) => event === 'demo.progress' && events.push(payload as { status: string; error: string | null }));
    // Without samples the demo fails at once, but only after it has started.
    const started = await wb.dispatch('demo.start', { seed: 7 });
    expect(started).toMatchObject({ ok: true, value: { status: 'running', seed: 7 } });
    expect(await wb.dispatch('demo.start', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await expect.poll(() => events.at(-1)?.status).toBe('failed');
    expect(events.at(-1)!.error).toContain('built-in samples missing');
    expect(await wb.dispatch('demo.status', {})).toMatchObject({ ok: true, value: { status: 'failed', seed: 7 } });
    expect(await wb.dispatch('demo.start', { epochs: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
