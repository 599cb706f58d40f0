// The routing explorer, sweeps and curves compared, in real Chromium against serve, on one
// assembly of two built-in samples with a random, untrained router (so that examples are routed
// both ways): token colours and experts equal `explain --json` (the CLI, a second process on the
// same home); the routed-away filter shows exactly the examples whose majority top-1 expert is not
// their own; the counterfactual table equals predictions of the model holding each expert alone;
// a sweep's parallel coordinates draw one line per trial and brushing an axis filters the table;
// a fresh Assembly page shows no problems before the user acts. Screenshots of each new view.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../shared/explore.ts';
import { disposeBundle, loadBundle } from '../../electron/engine/bundle/index.ts';
import { predictWithModel } from '../../electron/engine/bundle/predict.ts';
import type { MultiTaskModel } from '../../electron/engine/model/multitask-model.ts';
import { PROJECT_ROOT } from './build-renderer.ts';
import { SAMPLES, setUpWorlds, waitForRuns } from './fixture.ts';
import { goTo } from './steps.ts';

function explainCli(home: string, args: string[]): Promise<Explanation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'moe-workbench.js'), '--home', home, '--json', 'explain', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Explanation) : reject(new Error(`explain exited ${code}: ${err}${out}`))));
  });
}

/** The assembly with one expert left: its MoE over [expert] (a softmax of one: weight 1). */
function oneExpertMoe(model: MultiTaskModel, e: number): MultiTaskModel {
  if (model.mixer.kind !== 'moe') throw new Error('not an MoE');
  const router = tf.variable(tf.slice(model.mixer.router, [0, e], [-1, 1]));
  return { ...model, mixer: { kind: 'moe', router, experts: [model.mixer.experts[e]], settings: { ...model.mixer.settings, topK: 1 } } };
}

describe('explorer, sweeps, curves compared', { timeout: 420_000 }, () => {
  const openWorld = setUpWorlds();

  it('shows the routing of every token, filters, counterfactuals, sweeps and compared curves', async () => {
    const world = await openWorld('explore');
    const { page, api } = world;
    await api.call('datasets.add', { path: join(SAMPLES, 'semantics', 'spam-ham.csv'), kind: 'semantics', name: 'spam' });
    await api.call('datasets.add', { path: join(SAMPLES, 'recommendation', 'ratings.csv'), kind: 'recommendation', name: 'ratings' });
    const experts = [(await api.call('runs.trainExpert', { dataset: 'spam', epochs: 1 })).id, (await api.call('runs.trainExpert', { dataset: 'ratings', epochs: 1 })).id];
    await waitForRuns(api, experts);
    const { id: assembly } = await api.call('runs.assemble', { experts, top_k: 1, router_init: 'random', epochs: 0 });
    await waitForRuns(api, [assembly]);
    await page.goto(world.server.url);

    // A fresh Assembly page: no problems shown before the user has chosen anything.
    await goTo(page, 'Assembly');
    await page.getByTestId('config-editor').locator('.monaco-editor').waitFor();
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('editor-marker').count()).toBe(0);
    expect(await page.getByRole('list', { name: 'Config problems' }).count()).toBe(0);
    await world.screenshot('assembly-fresh');

    // 1. Explorer: the spam test split; token colours and experts as `explain --json` says.
    await goTo(page, 'Explorer');
    const form = page.getByRole('form', { name: 'Explain examples' });
    await form.getByLabel('Model').selectOption(String(assembly));
    await form.getByLabel('Domain').selectOption('spam');
    await form.getByLabel('Show at most').fill('200');
    await form.getByRole('button', { name: 'Explain test split' }).click();
    const examples = page.getByRole('article');
    await examples.first().waitFor({ timeout: 60_000 });
    const cli = await explainCli(world.home, [String(assembly), '--task', 'spam', '--split', 'test', '--limit', '200']);
    expect(await examples.count()).toBe(cli.examples.length);
    const first = cli.examples[0];
    const article = page.getByRole('article', { name: `Example ${first.index}`, exact: true });
    const tokens = article.locator('.unit.token');
    expect(await tokens.count()).toBe(first.units.length);
    expect(await tokens.evaluateAll((els) => els.map((e) => e.getAttribute('data-expert')))).toEqual(first.units.map((u) => u.top1));
    // The colour of each token is its expert's colour in the legend.
    const legend = Object.fromEntries(
      await page.getByRole('list', { name: 'Expert colours' }).locator('li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-expert'), e.ownerDocument.defaultView!.getComputedStyle(e.querySelector('.swatch')!).backgroundColor])),
    ) as Record<string, string>;
    const rgb = (c: string) => c.match(/\d+/g)!.slice(0, 3).join(',');
    const colours = await tokens.evaluateAll((els) => els.map((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor));
    expect(colours.map(rgb)).toEqual(first.units.map((u) => rgb(legend[u.top1])));
    expect(new Set(cli.examples.flatMap((x) => x.units.map((u) => u.top1))).size).toBe(2);
    await world.screenshot('explorer');
    // The regret per domain, as explain computes it.
    await page.getByRole('button', { name: `Compute for run ${assembly}` }).click();
    const regretTable = page.getByRole('table', { name: 'Router regret per domain' });
    await regretTable.waitFor({ timeout: 60_000 });
    expect(await regretTable.locator('tbody tr', { hasText: 'spam' }).locator('td').last().innerText()).toBe(`${(cli.regret! * 100).toFixed(1)}%`);

    // 2. The counterfactual table of that example = the predictions of the model holding each expert alone.
    const bundle = await loadBundle(world.workbench.training.modelDirOf((await world.workbench.store.runs.get(assembly))!));
    try {
      const table = page.getByRole('table', { name: `Counterfactual predictions of example ${first.index}` });
      for (const [e, name] of bundle.model.expertNames.entries()) {
        const alone = oneExpertMoe(bundle.model, e);
        const expected = predictWithModel(alone, 'spam', { text: first.input }).prediction;
        if (alone.mixer.kind === 'moe') alone.mixer.router.dispose();
        expect(await table.locator(`tr[data-expert="${name}"] td`).first().innerText()).toBe(String(expected));
      }
    } finally {
      disposeBundle(bundle);
    }

    // 3. Routed away: exactly the examples whose majority top-1 expert is not spam's own.
    const majority = (x: Explanation['examples'][number]) => {
      const votes = new Map<string, number>();
      for (const u of x.units) votes.set(u.top1, (votes.get(u.top1) ?? 0) + 1);
      const best = Math.max(...votes.values());
      return cli.experts.find((e) => votes.get(e) === best)!;
    };
    const away = cli.examples.filter((x) => majority(x) !== 'spam').map((x) => x.index);
    expect(away.length).toBeGreaterThan(0);
    expect(away.length).toBeLessThan(cli.examples.length);
    await form.getByLabel('Filter').selectOption('routed-away');
    await form.getByRole('button', { name: 'Explain test split' }).click();
    await expect.poll(async () => page.getByRole('status', { name: 'Explanation summary' }).innerText(), { timeout: 60_000 }).toContain(`${away.length} of ${away.length} matching`);
    expect(await examples.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))))).toEqual(away);
    await world.screenshot('explorer-routed-away');

    // 4. A 2x2 sweep through the form; one line per trial; brushing top_k filters the table.
    await goTo(page, 'Sweeps');
    const sweepForm = page.getByRole('form', { name: 'New sweep' });
    for (const id of experts) await sweepForm.getByRole('checkbox', { name: new RegExp(`expert run ${id} `) }).check();
    await sweepForm.getByLabel('Values 2', { exact: true }).fill('1,null');
    await sweepForm.getByRole('button', { name: 'Add field' }).click();
    await sweepForm.getByLabel('Field 3', { exact: true }).fill('epochs');
    await sweepForm.getByLabel('Values 3', { exact: true }).fill('0');
    await sweepForm.getByRole('button', { name: 'Start sweep (4 trials)' }).click();
    await page.waitForURL(/#\/sweeps\/\d+/);
    const sweepId = Number(/#\/sweeps\/(\d+)/.exec(page.url())![1]);
    const sweep = await world.workbench.sweeps.wait(sweepId);
    expect(sweep.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const lines = page.getByTestId('parallel-coordinates').locator('path.trial-line');
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(4);
    const rows = page.getByRole('table', { name: 'Sweep trials' }).locator('tbody tr');
    expect(await rows.count()).toBe(4);
    await world.screenshot('sweep');
    const axis = page.getByTestId('axis-top_k');
    const box = (await axis.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.3, { steps: 5 });
    await page.mouse.up();
    const topK2 = sweep.trials.filter((t) => t.config.top_k === 2).map((t) => String(t.index));
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-trial')))).toEqual(topK2);
    expect(await lines.evaluateAll((els) => els.filter((e) => e.getAttribute('data-kept') === 'true').map((e) => e.getAttribute('data-trial')))).toEqual(topK2);
    await world.screenshot('sweep-brushed');

    // 5. Curves compared: two trials picked in History.
    await goTo(page, 'History');
    const [a, b] = sweep.trials.map((t) => t.id!);
    await page.getByRole('checkbox', { name: `Compare run ${a}` }).check();
    await page.getByRole('checkbox', { name: `Compare run ${b}` }).check();
    await page.getByRole('button', { name: /Compare curves/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Curves compared' }).waitFor();
    const diff = page.getByRole('table', { name: 'Config differences' });
    await diff.waitFor();
    expect(await diff.locator('tbody th').allInnerTexts()).toContain('capacity_factor');
    await world.screenshot('compare-curves');

    // 6. A run's charts: one small chart per domain or family.
    await page.goto(`${world.server.url.split('#')[0]}#/history/${assembly}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`Run ${assembly}`) }).waitFor();
    await world.screenshot('run-charts');
    expect(world.pageErrors).toEqual([]);
  });
});
