// Two processes on one home: one CLI trains four experts on two workers (two runs wait queued
// while the others train) while a second polls `runs list` and `datasets list` every half second,
// each poll a fresh process that opens the store and runs its recovery, and a serve in this test
// process answers on the same home. No run is ever marked interrupted, every run completes, and
// nobody sees "database is locked".
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbench } from '../../../electron/api/workbench.ts';
import { startServer } from '../../../electron/serve/server.ts';
import { BIN, cli, SAMPLES, tempHome } from './cli-helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Four small, different ratings files cut from the sample. */
function tinyDatasets(dir: string): string[] {
  const [header, ...rows] = readFileSync(join(SAMPLES, 'recommendation', 'ratings.csv'), 'utf8').trim().split('\n');
  return [0, 1, 2, 3].map((i) => {
    const file = join(dir, `r${i}.csv`);
    writeFileSync(file, `${[header, ...rows.slice(i * 300, i * 300 + 300)].join('\n')}\n`);
    return file;
  });
}

describe('two processes on one home', () => {
  it('a trainer, a poller and a serve: nothing interrupted, all completed, never locked', async () => {
    const home = tempHome();
    const data = join(home, 'input');
    mkdirSync(data);
    const files = tinyDatasets(data);
    for (const [i, file] of files.entries()) {
      const added = await cli(home, ['datasets', 'add', file, '--kind', 'recommendation', '--name', `r${i}`, '--json']);
      expect(added.code, added.stderr).toBe(0);
    }

    const trainer = spawn(process.execPath, [BIN, '--home', home, 'train', 'expert', '--dataset', 'r0', 'r1', 'r2', 'r3', '--epochs', '1', '--json'], {
      env: { ...process.env, MOE_WORKBENCH_WORKERS: '2' },
    });
    let trainerOut = '';
    let trainerErr = '';
    trainer.stdout.on('data', (d) => (trainerOut += d));
    trainer.stderr.on('data', (d) => (trainerErr += d));
    const trained = new Promise<number | null>((resolve) => trainer.on('close', resolve));
    let done = false;
    void trained.then(() => (done = true));

    const workbench = await openWorkbench({ home, parallel: 1 });
    const server = await startServer({ workbench, staticDir: data });
    const seen = { polls: 0, serveAnswers: 0, statuses: new Set<string>(), problems: [] as string[] };
    const note = (where: string, statuses: string[]) => {
      for (const s of statuses) seen.statuses.add(s);
      if (statuses.includes('interrupted')) seen.problems.push(`${where} saw an interrupted run`);
    };

    const poller = (async () => {
      for (let i = 0; !done; i++) {
        const result = await cli(home, i % 2 === 0 ? ['runs', 'list', '--json'] : ['datasets', 'list', '--json']);
        seen.polls++;
        if (result.code !== 0 || /locked|busy/i.test(result.stdout + result.stderr)) seen.problems.push(`poll ${i}: exit ${result.code} ${result.stderr}${result.stdout.slice(0, 300)}`);
        if (i % 2 === 0 && Array.isArray(result.json)) note(`poll ${i}`, (result.json as { status: string }[]).map((r) => r.status));
        await sleep(500);
      }
    })();
    const serving = (async () => {
      while (!done) {
        const res = await fetch(`http://127.0.0.1:${server.address.port}/api/runs.list`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: '{}' });
        const envelope = (await res.json()) as { ok: boolean; value?: { status: string }[]; error?: { message: string } };
        if (!envelope.ok) seen.problems.push(`serve: ${envelope.error?.message}`);
        else {
          seen.serveAnswers++;
          note('serve', envelope.value!.map((r) => r.status));
        }
        await sleep(500);
      }
    })();

    const code = await trained;
    await Promise.all([poller, serving]);
    await server.close();
    await workbench.close();

    expect(trainerErr).not.toMatch(/locked|busy/i);
    expect(code, trainerOut + trainerErr).toBe(0);
    expect(seen.problems).toEqual([]);
    const runs = JSON.parse(trainerOut) as { status: string }[];
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    // The case that used to go wrong was observed: runs waiting queued while the others trained.
    expect(seen.statuses.has('queued')).toBe(true);
    expect(seen.polls).toBeGreaterThanOrEqual(2);
    expect(seen.serveAnswers).toBeGreaterThanOrEqual(2);
    const final = await cli(home, ['runs', 'list', '--json']);
    expect((final.json as { status: string }[]).map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  }, 120_000);
});
