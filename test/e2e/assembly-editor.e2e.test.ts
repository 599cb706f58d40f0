// The assembly config editor (Monaco, validated from the JSON schema) and the page's
// responsiveness while an expert trains, in real Chromium against serve. Experts are trained
// through the API here: these tests are about the editor and the page, not the training form.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, setUpWorlds, waitForRuns, type World } from './fixture.ts';
import { READ_CLICK_LATENCIES, RECORD_CLICK_LATENCIES } from './in-page-scripts.ts';
import { goTo } from './steps.ts';

async function seedExperts(w: World, epochs: number): Promise<number[]> {
  await w.api.call('datasets.add', { path: join(SAMPLES, 'semantics', 'spam-ham.csv'), kind: 'semantics', name: 'spam' });
  await w.api.call('datasets.add', { path: join(SAMPLES, 'syntax', 'brown-upos.conllu'), kind: 'syntax', name: 'brown' });
  const ids = [(await w.api.call('runs.trainExpert', { dataset: 'spam', epochs })).id, (await w.api.call('runs.trainExpert', { dataset: 'brown', epochs })).id];
  await waitForRuns(w.api, ids);
  return ids;
}

/** Replaces the editor's whole text as typed input. The editor closes brackets and quotes
 * as one types; what it added after the complete document is removed, as a person would. */
async function replaceEditorText(w: World, text: string): Promise<void> {
  await w.page.getByTestId('config-editor').locator('.view-lines').click();
  await w.page.keyboard.press('ControlOrMeta+A');
  await w.page.keyboard.insertText(text);
  await w.page.keyboard.press('ControlOrMeta+Shift+End');
  await w.page.keyboard.press('Delete');
}

describe('assembly editor and responsiveness', { timeout: 240_000 }, () => {
  const openWorld = setUpWorlds();

  it('marks an invalid config as you type and starts a run with a valid edit', async () => {
    const world = await openWorld('editor');
    const { page, api } = world;
    const [spam, brown] = await seedExperts(world, 1);
    await page.goto(world.server.url);
    await goTo(page, 'Assembly');
    const editor = page.getByTestId('config-editor');
    await editor.locator('.monaco-editor').waitFor();
    const start = page.getByRole('button', { name: 'Start assembly' });

    await replaceEditorText(world, JSON.stringify({ experts: [spam, brown], top_k: 0, epochs: 1 }, null, 2));
    const markers = page.getByTestId('editor-marker');
    await expect.poll(() => markers.allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringMatching(/^6:\d+ Value is below the minimum of 1/)]);
    await editor.locator('.squiggly-error').first().waitFor();
    expect(await start.isDisabled()).toBe(true);
    await world.screenshot('invalid-top-k');

    // A cross-field rule the JSON schema cannot say (top_k above the number of experts) is marked too.
    await replaceEditorText(world, JSON.stringify({ experts: [spam], top_k: 2 }, null, 2));
    await expect.poll(() => markers.allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining('cannot exceed')]);
    expect(await start.isDisabled()).toBe(true);

    await replaceEditorText(world, JSON.stringify({ experts: [spam, brown], top_k: 1, epochs: 1, seed: 7 }, null, 2));
    await expect.poll(() => markers.count(), { timeout: 15_000 }).toBe(0);
    // The form follows the editor.
    expect(await page.getByLabel('Assembly settings').getByLabel('Top-k').inputValue()).toBe('1');
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    await page.getByRole('region', { name: /Assembly run 3/ }).waitFor();
    const run = await api.call('runs.show', { id: 3 });
    expect(run.kind).toBe('assembly');
    expect(run.config).toMatchObject({ experts: [spam, brown], top_k: 1, epochs: 1, seed: 7 });
    await waitForRuns(api, [3]);
    await world.screenshot('valid-started');
    expect(world.pageErrors).toEqual([]);
  });

  it('stays interactive while an expert trains (a click handled within 100 ms)', async () => {
    const world = await openWorld('responsive');
    const { page, api } = world;
    await api.call('datasets.add', { path: join(SAMPLES, 'syntax', 'brown-upos.conllu'), kind: 'syntax', name: 'brown' });
    await page.goto(world.server.url);
    await goTo(page, 'Experts');
    const form = page.getByRole('form', { name: 'Train experts' });
    await form.getByRole('checkbox', { name: /brown/ }).check();
    await form.getByLabel('Epochs', { exact: true }).fill('4');
    await form.getByRole('button', { name: 'Train expert' }).click();
    const live = page.getByRole('region', { name: /Expert run 1/ });
    await live.getByText('running').first().waitFor({ timeout: 60_000 });
    await live.getByTestId('samples-per-sec').waitFor({ timeout: 60_000 });

    // For every real click: how long the input waited before its handler ran, and until the
    // page showed the result (the toggle's aria-pressed changed).
    await page.evaluate(RECORD_CLICK_LATENCIES);
    const toggle = page.getByRole('table', { name: 'Expert runs' }).getByRole('button', { name: /run 1$/ });
    for (let i = 0; i < 6; i++) {
      expect((await api.call('runs.show', { id: 1 })).status).toBe('running');
      await toggle.click();
      await page.waitForTimeout(150);
    }
    const latencies = await page.evaluate<{ queued: number; shown: number }[]>(READ_CLICK_LATENCIES);
    expect(latencies).toHaveLength(6);
    for (const l of latencies) expect(l.shown).toBeLessThan(100);
    await world.screenshot('training');
    await api.call('runs.cancel', { id: 1 });
    await expect.poll(async () => (await api.call('runs.show', { id: 1 })).status, { timeout: 30_000 }).toBe('cancelled');
    expect(world.pageErrors).toEqual([]);
  });
});
