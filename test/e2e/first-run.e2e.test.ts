// The first run without a manual, in real Chromium against serve, on an empty home: the page
// names the home, "Add the built-in samples" registers the four, "Run the demo" shows its
// progress and ends on a results table equal to `moe-workbench demo --json`'s for the same seed
// and epochs (run here in a second, empty home); a file dropped on the page fills the add form.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../../shared/contract.ts';
import { BUILT_IN_SAMPLES } from '../../electron/api/samples.ts';
import { PROJECT_ROOT } from './build-renderer.ts';
import { SAMPLES, setUpWorlds } from './fixture.ts';

const run = promisify(execFile);
const SEED = 42;
// One epoch per expert keeps the two demo runs (the page's and the CLI's) to minutes.
const EPOCHS = 1;
const COLUMNS = ['domain', 'metric', 'expert', 'assembly', 'uniform', 'dense', 'retention', 'purity'] as const;

async function cliDemo(): Promise<DemoResult> {
  const home = mkdtempSync(join(tmpdir(), 'moe-e2e-cli-demo-'));
  try {
    const { stdout } = await run(process.execPath, [join(PROJECT_ROOT, 'bin', 'moe-workbench.js'), 'demo', '--json', '--home', home, '--seed', String(SEED), '--epochs', String(EPOCHS)], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as DemoResult;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Every body row's cells of the table at `selector`: column, text, and the raw value. */
function tableCells(selector: string): string {
  return `Array.from(document.querySelectorAll(${JSON.stringify(selector + ' tbody tr')})).map((row) =>
    Array.from(row.querySelectorAll('td')).map((td) => ({ column: td.dataset.column, text: td.textContent, value: td.dataset.value ?? null })))`;
}

/** A drop of `uriList` (what a file manager puts on a drag) on `selector`, made in the page. */
function dropScript(selector: string, uriList: string): string {
  return `(() => {
    const data = new DataTransfer();
    data.setData('text/uri-list', ${JSON.stringify(uriList)});
    const target = document.querySelector(${JSON.stringify(selector)});
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    }
  })()`;
}

describe('first run', () => {
  const openWorld = setUpWorlds();

  it('adds the built-in samples in one click and runs the demo to the same results as the CLI', { timeout: 1_500_000 }, async () => {
    const world = await openWorld('first-run');
    const { page, api } = world;
    await page.goto(world.server.url);
    const start = page.getByRole('region', { name: 'Start here' });
    await start.waitFor();
    const info = await api.call('info', {});
    expect(await start.getByTestId('workbench-home').innerText()).toBe(info.home);
    await world.screenshot('empty-home');

    await start.getByRole('button', { name: 'Add the built-in samples' }).click();
    await start.getByRole('status').filter({ hasText: 'Registered 4 built-in samples' }).waitFor({ timeout: 120_000 });
    const table = page.getByRole('table', { name: 'Registered datasets' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect((await api.call('datasets.list', {})).map((d) => d.name).sort()).toEqual(BUILT_IN_SAMPLES.map((s) => s.name).sort());

    await start.getByLabel('Epochs per expert').fill(String(EPOCHS));
    await start.getByRole('button', { name: 'Run the demo' }).click();
    // Live progress: the experts' phase with one line per expert run, while they train.
    const progress = start.getByLabel('Demo progress');
    await progress.getByRole('status').filter({ hasText: 'Training 4 experts' }).waitFor({ timeout: 120_000 });
    await expect.poll(() => progress.locator('.demo-runs li').count()).toBeGreaterThanOrEqual(4);
    await world.screenshot('demo-running');
    const results = start.getByRole('table', { name: 'Demo results' });
    await results.waitFor({ timeout: 1_200_000 });
    await world.screenshot('demo-done');

    const shown = await page.evaluate<{ column: string; text: string; value: string | null }[][]>(tableCells('table[aria-label="Demo results"]'));
    const state = await api.call('demo.status', {});
    expect(state.status).toBe('completed');
    expect(state.seed).toBe(SEED);

    const expected = await cliDemo();
    expect(shown).toHaveLength(expected.summary.length);
    expect(expected.summary.length).toBeGreaterThanOrEqual(8);
    shown.forEach((cells, i) => {
      const row = expected.summary[i]!;
      expect(cells.map((c) => c.column)).toEqual([...COLUMNS]);
      for (const cell of cells) {
        const want = row[cell.column as (typeof COLUMNS)[number]];
        if (typeof want === 'string') expect(cell.text).toBe(want);
        else expect(cell.value === '' ? null : Number(cell.value), `${row.domain} ${row.metric} ${cell.column}`).toBe(want);
      }
    });
    // The page's demo is the CLI's pipeline: it also replayed and exported the same way.
    expect(state.result!.replay.reproduced).toBe(true);
    expect(state.result!.predictions.map((p) => p.prediction)).toEqual(expected.predictions.map((p) => p.prediction));
    expect(world.pageErrors).toEqual([]);
  });

  it('fills the add form from a file dropped on the Datasets page', async () => {
    const world = await openWorld('drop');
    const { page, api } = world;
    await page.goto(world.server.url);
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    const file = join(SAMPLES, 'recommendation', 'ratings.csv');
    // Dropped on the page's heading, away from the path field (which takes drops itself).
    await page.evaluate(dropScript('.datasets-page h1', `# dragged from a file manager\r\n${pathToFileURL(file).href}`));
    const form = page.getByRole('form', { name: 'Add a dataset' });
    await expect.poll(() => form.getByRole('textbox', { name: /File|Folder/ }).inputValue()).toBe(file);
    expect(await form.getByLabel('Kind').inputValue()).toBe('recommendation');
    expect(await form.getByLabel('Name').inputValue()).toBe('ratings');
    await form.getByRole('button', { name: 'Add dataset' }).click();
    const refused = form.getByRole('alert');
    await refused.or(form.getByRole('status').filter({ hasText: 'Registered ratings' })).first().waitFor({ timeout: 60_000 });
    await world.screenshot('dropped-added');
    if (await refused.isVisible()) throw new Error(`the dropped file was refused: ${await refused.innerText()}`);
    expect((await api.call('datasets.list', {})).map((d) => [d.name, d.kind])).toEqual([['ratings', 'recommendation']]);

    // Something without a path says so instead of filling the form.
    await page.evaluate(dropScript('.datasets-page h1', 'https://example.invalid/data.csv'));
    await page.getByRole('status').filter({ hasText: 'Could not read a path' }).waitFor();
    expect(world.pageErrors).toEqual([]);
  });
});
