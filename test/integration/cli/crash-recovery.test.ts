// kill -9 of a training CLI at random moments, repeated: the store still opens with integrity
// intact, the run reads `interrupted`, `runs resume` completes it; a killed export never leaves a
// half-written folder.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, SAMPLES, tempHome } from './cli-helpers.ts';

/** Starts the CLI and kills it with SIGKILL once `ready()` holds plus `delayMs`. */
function startAndKill(home: string, args: string[], delayMs: number, ready: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 25);
    child.on('exit', () => {
      clearInterval(poll);
      resolve();
    });
  });
}

function latestRun(home: string): { id: number; status: string } | undefined {
  if (!existsSync(join(home, 'workbench.db'))) return undefined;
  const db = new Database(join(home, 'workbench.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; status: string } | undefined;
  } finally {
    db.close();
  }
}

function integrity(home: string): string {
  const db = new Database(join(home, 'workbench.db'));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

// Moments after training started (deterministic "random" ones, so a failure can be reproduced):
// before the first checkpoint, around it, and a few epochs in.
const moments = [150, 1300, 3100];

describe('crash recovery', () => {
  it.each(moments)('kill -9 at %i ms: interrupted, integrity ok, resume completes', async (ms) => {
    const home = tempHome();
    const added = await cli(home, ['datasets', 'add', join(SAMPLES, 'recommendation', 'ratings.csv'), '--kind', 'recommendation', '--name', 'ratings', '--json']);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const running = () => latestRun(home)?.status === 'running';
    await startAndKill(home, ['train', 'expert', '--dataset', 'ratings', '--epochs', '12', '--patience', '12', '--json'], ms, running);
    expect(integrity(home)).toBe('ok');
    const run = latestRun(home);
    expect(run?.status).toBe('running');
    // The next process to open the store sees the owner is dead.
    const shown = (await cli(home, ['runs', 'show', String(run!.id), '--json'])).json as { status: string };
    expect(shown.status).toBe('interrupted');
    const resumed = await cli(home, ['runs', 'resume', String(run!.id), '--json']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.json).toMatchObject({ id: run!.id, status: 'completed' });
    expect(integrity(home)).toBe('ok');
  }, 300_000);

  it('a killed export leaves no half-written folder', async () => {
    const home = tempHome();
    await cli(home, ['datasets', 'add', join(SAMPLES, 'recommendation', 'ratings.csv'), '--kind', 'recommendation', '--name', 'ratings', '--json']);
    const trained = await cli(home, ['train', 'expert', '--dataset', 'ratings', '--epochs', '1', '--json']);
    expect(trained.code, trained.stdout + trained.stderr).toBe(0);
    const run = trained.json as { id: number };
    const root = tempHome();
    for (const [i, ms] of [900, 1200, 1500, 1800, 2100, 2400].entries()) {
      const dir = join(root, `export-${i}`);
      await startAndKill(home, ['export', String(run.id), dir], ms);
      if (existsSync(dir)) {
        const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { components: { path: string }[] };
        for (const c of manifest.components) expect(existsSync(join(dir, c.path))).toBe(true);
      }
    }
    // Whatever the kills left behind is only hidden temporary folders, never a visible export-N that is incomplete.
    for (const name of readdirSync(root)) if (!name.startsWith('.')) expect(existsSync(join(root, name, 'manifest.json'))).toBe(true);
  }, 300_000);
});
