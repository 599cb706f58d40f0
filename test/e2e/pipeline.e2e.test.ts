// The whole pipeline through the UI, in real Chromium against serve: register two built-in
// samples, train two experts, assemble them, check the routing heatmap against the store, then
// History: details, playback, replay with a verdict, compare, export.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLES, setUpWorlds, waitForRuns } from './fixture.ts';
import { addDatasetThroughForm, goTo } from './steps.ts';

let exportParent: string | null = null;

describe('pipeline', { timeout: 300_000 }, () => {
  const openWorld = setUpWorlds();
  afterEach(() => {
    if (exportParent) rmSync(exportParent, { recursive: true, force: true });
  });

  it('registers, trains, assembles, shows the stored routing, replays, compares and exports', async () => {
    const world = await openWorld('pipeline');
    const { page, api } = world;
    await page.goto(world.server.url);

    // 1. Two domains from the built-in samples.
    await addDatasetThroughForm(page, { path: join(SAMPLES, 'semantics', 'spam-ham.csv'), kind: 'semantics', name: 'spam' });
    await addDatasetThroughForm(page, { path: join(SAMPLES, 'syntax', 'brown-upos.conllu'), kind: 'syntax', name: 'brown' });

    // 2. One expert each, one epoch.
    await goTo(page, 'Experts');
    const train = page.getByRole('form', { name: 'Train experts' });
    await train.getByRole('checkbox', { name: /spam/ }).check();
    await train.getByRole('checkbox', { name: /brown/ }).check();
    await train.getByLabel('Epochs', { exact: true }).fill('1');
    await train.getByRole('button', { name: 'Train 2 experts' }).click();
    await page.getByRole('region', { name: /Expert run 1/ }).waitFor();
    await page.getByRole('region', { name: /Expert run 2/ }).waitFor();
    await world.screenshot('experts-training');
    const experts = (await api.call('runs.list', { kind: 'expert' })).map((r) => r.id);
    expect(experts).toHaveLength(2);
    await waitForRuns(api, experts);
    const spamRun = (await api.call('runs.list', { kind: 'expert', dataset: 'spam' }))[0]!.id;
    const spamView = page.getByRole('region', { name: new RegExp(`Expert run ${spamRun}`) });
    // The classification expert shows its confusion matrix; a cell opens its details.
    const confusion = spamView.getByRole('table', { name: /Confusion matrix/ });
    await confusion.waitFor();
    await confusion.getByRole('button', { name: /true spam, predicted spam/ }).click();
    await spamView.locator('.cell-details').waitFor();
    const result = (await api.call('runs.show', { id: spamRun })).result;
    if (result?.type !== 'expert' || !result.confusion) throw new Error(`expert run ${spamRun} stored no confusion matrix`);
    const stored = result.confusion;
    const s = stored.labels.indexOf('spam');
    expect(await spamView.locator('.cell-details').innerText()).toContain(`${stored.matrix[s]![s]} samples`);
    await world.screenshot('experts-done');

    // 3. Assemble the two experts, one fine-tuning epoch, through the form.
    await goTo(page, 'Assembly');
    const settings = page.getByLabel('Assembly settings');
    for (const id of experts) await settings.getByRole('checkbox', { name: new RegExp(`expert run ${id} `) }).check();
    await settings.getByLabel('Epochs', { exact: true }).fill('1');
    const start = page.getByRole('button', { name: 'Start assembly' });
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    const assemblyView = page.getByRole('region', { name: /Assembly run 3/ });
    await assemblyView.waitFor();
    // The heatmap appears while it trains (live routing events), before the run ends.
    await assemblyView.locator('.heat-cell').first().waitFor({ timeout: 60_000 });
    await world.screenshot('assembly-live');
    await waitForRuns(api, [3]);
    await assemblyView.getByRole('table', { name: /Assembly against baselines/ }).waitFor({ timeout: 30_000 });

    // 4. The heatmap cell (spam, spam) shows the count stored in the database for that snapshot.
    const step = Number(await assemblyView.getByTestId('heatmap-step').innerText());
    const split = await assemblyView.getByTestId('heatmap-split').innerText();
    const snapshots = await api.call('runs.routing', { id: 3 });
    const snapshot = snapshots.find((x) => x.step === step && x.split === split)!;
    expect(snapshot).toBeDefined();
    for (const domain of snapshot.domains) {
      for (const expert of snapshot.experts) {
        const cell = assemblyView.locator(`.heat-cell[data-domain="${domain}"][data-expert="${expert}"]`);
        const value = snapshot.top1[snapshot.domains.indexOf(domain)]![snapshot.experts.indexOf(expert)]!;
        expect(Number(await cell.getAttribute('data-value'))).toBe(value);
        expect((await cell.innerText()).replace(/,/g, '')).toBe(String(value));
      }
    }
    await world.screenshot('assembly-done');

    // 5. History: the three runs; open the assembly.
    await goTo(page, 'History');
    const runsTable = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runsTable.locator('tbody tr').count()).toBe(3);
    await runsTable.getByRole('link', { name: 'Run 3 details' }).click();
    await page.getByRole('heading', { level: 1, name: /Run 3/ }).waitFor();
    await page.getByRole('list', { name: 'Lineage' }).waitFor();
    await world.screenshot('run-details');

    // 6. Playback: the slider moves through the steps; the heatmap follows.
    const slider = page.getByTestId('playback-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    const firstStep = await page.getByTestId('playback-step').innerText();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const laterStep = await page.getByTestId('playback-step').innerText();
    expect(laterStep).not.toBe(firstStep);
    await page.keyboard.press('End');
    await world.screenshot('playback');

    // 7. Replay with a verdict.
    await page.getByRole('button', { name: 'Replay run 3' }).click();
    const verdict = page.getByTestId('replay-verdict');
    await verdict.waitFor({ timeout: 120_000 });
    const answer = await api.call('runs.replayVerdict', { id: 4 });
    expect(await verdict.innerText()).toContain(answer.reproduced ? 'Reproduced' : 'Not reproduced');
    await world.screenshot('replay');

    // 8. Compare with the replay: config diff and overlaid curves.
    const compare = page.getByRole('region', { name: 'Compare' });
    await compare.getByLabel('Compare with').selectOption('4');
    await compare.getByRole('button', { name: 'Compare' }).click();
    await compare.getByTestId('comparison').waitFor();
    await compare.locator('.chart canvas').first().waitFor();
    await world.screenshot('compare');

    // 9. Export to a typed folder (serve has no native dialog).
    exportParent = mkdtempSync(join(tmpdir(), 'moe-e2e-export-'));
    const target = join(exportParent, 'assembly-3');
    const exportForm = page.getByRole('form', { name: 'Export run 3' });
    await exportForm.getByRole('button', { name: 'Browse…' }).click();
    await exportForm.getByRole('status').filter({ hasText: 'type the path' }).waitFor();
    await exportForm.getByRole('textbox', { name: 'Export to folder' }).fill(target);
    await exportForm.getByRole('button', { name: 'Export run 3' }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    expect(readdirSync(target)).toContain('manifest.json');
    await world.screenshot('export');

    // 10. Import the exported folder back: a new run, opened in History.
    await goTo(page, 'History');
    const importForm = page.getByRole('form', { name: 'Import a model' });
    await importForm.getByRole('textbox', { name: 'Exported model folder' }).fill(target);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { level: 1, name: /Run 5/ }).waitFor({ timeout: 60_000 });
    expect((await api.call('runs.show', { id: 5 })).kind).toBe('import');

    // 11. Playground: a sentence through the assembly; the prediction and the gate weights per token.
    await goTo(page, 'Playground');
    const ask = page.getByRole('form', { name: 'Prediction input' });
    await ask.getByLabel('Model (completed run)').selectOption('3');
    await ask.getByLabel('Task').selectOption('spam');
    await ask.getByLabel('Text').fill('win a free prize now, click here');
    await ask.getByRole('button', { name: 'Predict' }).click();
    const prediction = page.getByTestId('prediction');
    await prediction.waitFor({ timeout: 60_000 });
    const expected = await api.call('predict', { id: 3, task: 'spam', input: { text: 'win a free prize now, click here' } });
    expect(await prediction.locator('.prediction-value strong').innerText()).toBe(String(expected.prediction));
    if (expected.routing.perToken?.length) {
      await expect.poll(() => prediction.getByRole('table', { name: 'Gate weights per token' }).locator('tbody tr').count()).toBe(expected.routing.perToken.length);
    }
    await world.screenshot('playground');

    expect(world.pageErrors).toEqual([]);
  });
});
