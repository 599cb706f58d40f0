// `sweep` on the built-in samples: a 2x3 grid runs 6 trials as child runs of one sweep run on two
// workers; kill -9 in the middle leaves it interrupted, and `sweep --resume` keeps the trials that
// had completed (same runs, untouched) and runs only the others; a second sweep with the same seed
// picks the same best trial with the same metrics.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sweep } from '../../../shared/explore.ts';
import { BIN, cli, SAMPLES, tempHome } from '../cli/cli-helpers.ts';

function query<T>(home: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(home, 'workbench.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

const GRID = ['--grid', 'top_k=1,2', '--grid', 'capacity_factor=1,1.25,null', '--grid', 'epochs=0', '--seed', '5', '--json'];

describe('sweep', () => {
  it('runs a 2x3 grid, survives kill -9, resumes only the missing trials, and picks the same best trial twice', async () => {
    const home = tempHome();
    for (const [path, kind, name] of [['semantics/spam-ham.csv', 'semantics', 'spam'], ['recommendation/ratings.csv', 'recommendation', 'ratings']]) {
      const added = await cli(home, ['datasets', 'add', join(SAMPLES, path), '--kind', kind, '--name', name, '--json']);
      expect(added.code, added.stderr).toBe(0);
    }
    const trained = await cli(home, ['train', 'expert', '--dataset', 'spam', 'ratings', '--epochs', '1', '--json']);
    expect(trained.code, trained.stdout + trained.stderr).toBe(0);

    // Kill the first sweep once two of its trials have completed.
    const sweepId = 3;
    const done = () => query<{ id: number; finished_at: string }>(home, "SELECT id, finished_at FROM runs WHERE parent_id = ? AND status = 'completed' ORDER BY id", sweepId);
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--home', home, 'sweep', '--experts', '1,2', ...GRID], { stdio: 'ignore' });
      const poll = setInterval(() => {
        try {
          if (done().length >= 2) child.kill('SIGKILL');
        } catch {
          // the store is not there yet
        }
      }, 100);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    const before = done();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(6);
    expect(query<{ status: string }>(home, 'SELECT status FROM runs WHERE id = ?', sweepId)[0].status).toBe('running');

    const resumed = await cli(home, ['sweep', '--resume', String(sweepId), '--json']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const first = resumed.json as Sweep;
    expect(first.status).toBe('completed');
    expect(first.trials).toHaveLength(6);
    expect(first.trials.every((t) => t.status === 'completed')).toBe(true);
    expect(first.trials.map((t) => t.config)).toEqual([1, 2].flatMap((k) => [1, 1.25, null].map((c) => ({ top_k: k, capacity_factor: c, epochs: 0 }))));
    // Exactly six child runs: the completed ones kept as they were, the cut-off ones finished in place.
    const children = query<{ id: number; finished_at: string }>(home, 'SELECT id, finished_at FROM runs WHERE parent_id = ? ORDER BY id', sweepId);
    expect(children).toHaveLength(6);
    for (const b of before) expect(children.find((c) => c.id === b.id)?.finished_at).toBe(b.finished_at);
    expect(children.filter((c) => !before.some((b) => b.id === c.id) && c.finished_at > before[before.length - 1].finished_at)).toHaveLength(6 - before.length);

    const again = await cli(home, ['sweep', '--experts', '1,2', ...GRID]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const second = again.json as Sweep;
    expect(Object.keys(second.best_index).sort()).toEqual(['ratings', 'spam']);
    expect(second.best_index).toEqual(first.best_index);
    expect(second.trials.map((t) => t.metrics)).toEqual(first.trials.map((t) => t.metrics));
    expect(second.best.spam).toBe(second.trials[second.best_index.spam].id);
  }, 600_000);
});
