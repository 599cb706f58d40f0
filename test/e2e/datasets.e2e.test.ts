// The app shell and the Datasets page in real Chromium against serve: the backend badge,
// keyboard navigation, registering built-in samples through the form (with previews), and
// invalid input reported with file and line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, setUpWorlds } from './fixture.ts';
import { distinctCanvasValues } from './in-page-scripts.ts';
import { addDatasetThroughForm } from './steps.ts';

describe('datasets page', { timeout: 180_000 }, () => {
  const openWorld = setUpWorlds();

  it('shows the backend in the header and moves between pages by keyboard', async () => {
    const world = await openWorld('shell');
    const { page, api } = world;
    await page.goto(world.server.url);
    const info = await api.call('info', {});
    await expect.poll(() => page.getByTestId('backend-badge').textContent()).toBe(`backend: ${info.backend}`);
    // Tab from the top reaches the navigation; Enter on a link opens its page.
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('link', { name: 'History' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('History');
    expect(await nav.getByRole('link', { name: 'History' }).getAttribute('aria-current')).toBe('page');
    await world.screenshot('history-empty');
    expect(world.pageErrors).toEqual([]);
  });

  it('registers samples of every kind and previews them', async () => {
    const world = await openWorld('datasets');
    const { page, api } = world;
    await page.goto(world.server.url);
    await addDatasetThroughForm(page, { path: join(SAMPLES, 'semantics', 'spam-ham.csv'), kind: 'semantics', name: 'spam' });
    const detail = page.getByRole('region', { name: 'Dataset spam' });
    await detail.waitFor();
    const shown = await api.call('datasets.show', { name: 'spam' });
    // The preview table lists the stored preview records.
    await expect.poll(() => detail.getByRole('table', { name: 'Preview records' }).locator('tbody tr').count()).toBe(shown.preview.length);
    await world.screenshot('semantics');

    await addDatasetThroughForm(page, { path: join(SAMPLES, 'texture'), kind: 'texture', name: 'textures' });
    const textures = page.getByRole('region', { name: 'Dataset textures' });
    await textures.waitFor();
    const images = textures.locator('canvas.pixel-image');
    await expect.poll(() => images.count()).toBeGreaterThan(0);
    // A thumbnail is drawn from its pixels: not a blank canvas.
    const drawn = await page.evaluate<number>(distinctCanvasValues('canvas.pixel-image'));
    expect(drawn).toBeGreaterThan(1);
    await world.screenshot('texture');

    await addDatasetThroughForm(page, { path: join(SAMPLES, 'syntax', 'brown-upos.conllu'), kind: 'syntax', name: 'brown' });
    await page.getByRole('region', { name: 'Dataset brown' }).locator('.tagged-token').first().waitFor();
    await addDatasetThroughForm(page, { path: join(SAMPLES, 'recommendation', 'ratings.csv'), kind: 'recommendation', name: 'ratings' });
    await page.getByRole('region', { name: 'Dataset ratings' }).waitFor();
    await world.screenshot('recommendation');

    const table = page.getByRole('table', { name: 'Registered datasets' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect(world.pageErrors).toEqual([]);
  });

  it('lists every validation problem with its file and line', async () => {
    const world = await openWorld('invalid');
    const { page } = world;
    const dir = mkdtempSync(join(tmpdir(), 'moe-e2e-bad-'));
    try {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, 'text,label\nfine text,a\n,b\nanother,\nlast one,a\n');
      await page.goto(world.server.url);
      await addDatasetThroughForm(page, { path: file, kind: 'semantics', name: 'bad', expectError: true });
      const problems = page.getByRole('table', { name: 'Validation problems' });
      await problems.waitFor();
      const rows = await problems.locator('tbody tr').allInnerTexts();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.some((r) => r.includes('bad.csv') && /\b3\b/.test(r))).toBe(true);
      expect(rows.some((r) => r.includes('bad.csv') && /\b4\b/.test(r))).toBe(true);
      await world.screenshot('problems');
      // Bad input never half-registers.
      expect(await world.api.call('datasets.list', {})).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
