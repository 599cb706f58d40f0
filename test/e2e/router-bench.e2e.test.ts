// The router bench and expert removal in real Chromium against serve, on two built-in samples
// (spam-ham, ratings) with one-epoch experts: a bench of three methods started from the Assembly
// page shows, per domain, every method with the engine's numbers and exactly the engine's best
// method marked, and opens again from History; removing an expert from an assembly run view
// starts the removal and shows the remaining domain's metrics before (the parent) and after.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../renderer/src/format.ts';
import { SAMPLES, setUpWorlds, waitForRuns } from './fixture.ts';
import { goTo } from './steps.ts';

const METHODS = ['closed_form', 'uniform', 'oracle'] as const;

describe('router bench and expert removal', { timeout: 420_000 }, () => {
  const openWorld = setUpWorlds();

  it('compares router methods per domain and removes an expert with its before and after', async () => {
    const world = await openWorld('router-bench');
    const { page, api } = world;
    await api.call('datasets.add', { path: join(SAMPLES, 'semantics', 'spam-ham.csv'), kind: 'semantics', name: 'spam' });
    await api.call('datasets.add', { path: join(SAMPLES, 'recommendation', 'ratings.csv'), kind: 'recommendation', name: 'ratings' });
    const experts = [(await api.call('runs.trainExpert', { dataset: 'spam', epochs: 1 })).id, (await api.call('runs.trainExpert', { dataset: 'ratings', epochs: 1 })).id];
    await waitForRuns(api, experts);
    const { id: assembly } = await api.call('runs.assemble', { experts, top_k: 1, epochs: 0 });
    await waitForRuns(api, [assembly]);
    await page.goto(world.server.url);

    // 1. A bench of three methods (one joint/dense epoch) through the form.
    await goTo(page, 'Assembly');
    const form = page.getByRole('form', { name: 'New router bench' });
    for (const id of experts) await form.getByRole('checkbox', { name: new RegExp(`expert run ${id} `) }).check();
    for (const m of ['joint', 'embedding', 'gates']) await form.getByRole('checkbox', { name: m, exact: true }).uncheck();
    await form.getByLabel('Joint fine-tuning epochs').fill('1');
    await form.getByRole('button', { name: 'Start router bench (3 methods)' }).click();
    await page.waitForURL(/#\/assembly\/bench\/\d+/);
    const benchId = Number(/#\/assembly\/bench\/(\d+)/.exec(page.url())![1]);
    const bench = await world.workbench.routerBenches.wait(benchId);
    expect(bench.status).toBe('completed');
    expect(Object.keys(bench.methods)).toEqual([...METHODS]);

    const checkTables = async () => {
      const statuses = page.getByRole('table', { name: 'Router bench methods' }).locator('tbody tr');
      await expect.poll(() => statuses.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))), { timeout: 30_000 }).toEqual(['completed', 'completed', 'completed']);
      for (const dataset of ['spam', 'ratings']) {
        const table = page.getByRole('table', { name: `Router bench on ${dataset}` });
        await table.waitFor({ timeout: 30_000 });
        const rows = table.locator('tbody tr');
        expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-method')))).toEqual([...METHODS]);
        // Exactly one best mark, on the method the engine chose (oracle is the reference, never best).
        const best = table.locator('tbody tr[data-best="true"]');
        expect(await best.count()).toBe(1);
        expect(await best.getAttribute('data-method')).toBe(bench.best[dataset]);
        expect(await best.locator('th').innerText()).toContain('best');
        const { metric } = bench.selection[dataset]!;
        for (const m of METHODS) {
          const cells = await table.locator(`tbody tr[data-method="${m}"] td`).allInnerTexts();
          const row = bench.methods[m]!;
          expect(cells[0]).toBe(formatNumber(row.metrics[dataset]![metric]!));
          expect(cells[1]).toBe(`${(row.retention[dataset]! * 100).toFixed(1)}%`);
          expect(cells[2]).toBe(`${(row.purity[dataset]! * 100).toFixed(1)}%`);
          expect(cells[6]).toBe(m === 'oracle' ? 'reference' : `${row.from_oracle[dataset]! > 0 ? '+' : ''}${formatNumber(row.from_oracle[dataset]!)}`);
        }
        // Oracle sends every token to its own expert: purity 100% on every domain.
        expect((await table.locator('tbody tr[data-method="oracle"] td').allInnerTexts())[2]).toBe('100.0%');
      }
    };
    await checkTables();
    await world.screenshot('bench');

    // 2. The bench opens again from History.
    await goTo(page, 'History');
    await page.getByRole('link', { name: `Run ${benchId} details` }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Run ${benchId}`) }).waitFor();
    await checkTables();

    // 3. Remove spam's expert from the assembly, from its run view.
    await goTo(page, 'Assembly');
    await page.getByRole('button', { name: `Watch run ${assembly}` }).click();
    await page.getByRole('list', { name: `Experts of assembly ${assembly}` }).getByRole('button', { name: 'Remove spam' }).click();
    const removal = page.getByRole('table', { name: 'Metrics before and after removing spam' });
    await removal.waitFor({ timeout: 120_000 });
    const parent = await api.call('runs.show', { id: assembly });
    const child = (await api.call('runs.list', { kind: 'assembly' })).find((r) => r.parent === assembly)!;
    const after = await api.call('runs.show', { id: child.id });
    if (parent.result?.type !== 'assembly' || after.result?.type !== 'assembly') throw new Error('both runs are completed assemblies');
    expect(after.result.removed).toBe('spam');
    expect(after.experts.map((e) => e.dataset)).toEqual(['ratings']);
    // The engine's "before" is the parent's own test metrics on the remaining domain.
    expect(after.result.before).toEqual({ ratings: parent.result.metrics.test.ratings });
    const rows = removal.locator('tbody tr');
    expect(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-domain')}.${e.getAttribute('data-metric')}`))).toEqual(['ratings.rmse', 'ratings.mae']);
    for (const metric of ['rmse', 'mae']) {
      const cells = await removal.locator(`tbody tr[data-metric="${metric}"] td`).allInnerTexts();
      expect(cells.slice(2, 4)).toEqual([formatNumber(parent.result.metrics.test.ratings![metric]!), formatNumber(after.result.metrics.test.ratings![metric]!)]);
    }
    await world.screenshot('removal');
    expect(world.pageErrors).toEqual([]);
  });
});
