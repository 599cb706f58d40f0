// crash: `kill -9` a training at random moments, N times (CRASH_N, default 20; CRASH_SEED picks
// the moments), alternating expert and assembly runs, and after each resumed run also `kill -9`
// an export at a random moment. After every kill: `PRAGMA integrity_check` is ok, the next
// process to open the home sees the run `interrupted`, `runs resume` completes it, its final
// metrics equal those of an uninterrupted run of the same config on this backend, and no
// half-written folder is left anywhere in the home (or as a visible export). One JSON line.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerBench } from './registry.ts';

const BIN = fileURLToPath(new URL('../bin/moe-workbench.js', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../resources/samples/recommendation/ratings.csv', import.meta.url));

interface Result { code: number | null; stdout: string; stderr: string; json: unknown }

function cli(home: string, args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args, '--json'], { env: { ...process.env, MOE_WORKBENCH_WORKERS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

async function ok(home: string, args: string[]): Promise<unknown> {
  const r = await cli(home, args);
  if (r.code !== 0) throw new Error(`moe-workbench ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.json;
}

function db(home: string): Database.Database {
  return new Database(join(home, 'workbench.db'), { readonly: true, fileMustExist: true });
}

function latestRun(home: string): { id: number; status: string } | undefined {
  if (!existsSync(join(home, 'workbench.db'))) return undefined;
  const d = db(home);
  try {
    return d.prepare('SELECT id, status FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; status: string } | undefined;
  } catch {
    return undefined;
  } finally {
    d.close();
  }
}

/** Starts the command, waits until `ready()`, then `delayMs`, then SIGKILL. Resolves when it is gone. */
function startAndKill(home: string, args: string[], delayMs: number, ready: () => boolean): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], { stdio: 'ignore', env: { ...process.env, MOE_WORKBENCH_WORKERS: '1' } });
    let killed = false;
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      setTimeout(() => {
        killed = child.exitCode === null;
        child.kill('SIGKILL');
      }, delayMs);
    }, 20);
    child.on('exit', () => {
      clearInterval(poll);
      resolve({ killed });
    });
  });
}

/** xorshift32: the same moments for the same CRASH_SEED. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Hidden temporary folders anywhere under dir (what a cut-short write leaves). */
function halfWritten(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isDirectory() && /^\.[^/]+\.(tmp|export|replaced)-\d+-\d+$|^add-\d+-/.test(e.name)) out.push(join(e.parentPath, e.name));
  }
  return out;
}

/** Every visible bundle folder (model, checkpoint, export) holds model.json and each weights file its index names. */
function incompleteBundles(dir: string): string[] {
  const bad: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isDirectory() || !['model', 'checkpoint'].includes(e.name) || e.parentPath.includes('/.')) continue;
    const folder = join(e.parentPath, e.name);
    if (!existsSync(join(folder, 'model.json')) || !existsSync(join(folder, 'weights.json')) || !existsSync(join(folder, 'weights.bin'))) bad.push(folder);
    else {
      const index = JSON.parse(readFileSync(join(folder, 'weights.json'), 'utf8')) as { byteOffset: number; byteLength: number }[];
      const end = index.reduce((a, w) => Math.max(a, w.byteOffset + w.byteLength), 0);
      if (statSync(join(folder, 'weights.bin')).size !== end) bad.push(folder);
    }
  }
  return bad;
}

function integrity(home: string): string {
  const d = new Database(join(home, 'workbench.db'));
  try {
    return d.pragma('integrity_check', { simple: true }) as string;
  } finally {
    d.close();
  }
}

const metricsOf = (json: unknown) => JSON.stringify((json as { metrics?: unknown }).metrics ?? null);

registerBench({
  name: 'crash',
  description: 'kill -9 during training (expert/assembly), flush, checkpoint and export; integrity, interrupted, resume, equal metrics, nothing half-written',
  async run(emit) {
    const n = Number(process.env.CRASH_N ?? 20);
    const seed = Number(process.env.CRASH_SEED ?? 20261130);
    const next = rng(seed);
    const home = mkdtempSync(join(tmpdir(), 'bench-crash-'));
    const input = mkdtempSync(join(tmpdir(), 'bench-crash-input-'));
    const exportsDir = mkdtempSync(join(tmpdir(), 'bench-crash-exports-'));
    const started = performance.now();
    const counts = { kills: 0, killed_while_running: 0, integrity_ok: 0, interrupted: 0, resumed: 0, metrics_equal: 0, nothing_half_written: 0, export_kills: 0, exports_whole_or_absent: 0, expert: 0, assembly: 0 };
    const failures: string[] = [];
    try {
      // Two small domains, two reference experts and one reference assembly, uninterrupted.
      const [header, ...rows] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
      for (const [i, slice] of [rows.slice(0, 1500), rows.slice(1500, 3000)].entries()) {
        const file = join(input, `r${i}.csv`);
        writeFileSync(file, `${[header, ...slice].join('\n')}\n`);
        await ok(home, ['datasets', 'add', file, '--kind', 'recommendation', '--name', `r${i}`]);
      }
      const expertArgs = ['train', 'expert', '--dataset', 'r0', '--epochs', '6', '--patience', '6'];
      const refExpert = await ok(home, expertArgs);
      const other = (await ok(home, ['train', 'expert', '--dataset', 'r1', '--epochs', '2'])) as { id: number };
      const experts = `${(refExpert as { id: number }).id},${other.id}`;
      const assemblyArgs = ['assemble', '--experts', experts, '--top-k', '1', '--epochs', '4'];
      const refAssembly = await ok(home, assemblyArgs);
      const reference = { expert: metricsOf(refExpert), assembly: metricsOf(refAssembly) };

      for (let i = 0; i < n; i++) {
        const kind = i % 2 === 0 ? 'expert' : 'assembly';
        counts[kind]++;
        const before = latestRun(home)?.id ?? 0;
        const running = () => {
          const r = latestRun(home);
          return r !== undefined && r.id > before && r.status === 'running';
        };
        // A moment in the first seconds of training: it falls in steps, flushes and checkpoints.
        const delay = Math.floor(next() * (kind === 'expert' ? 2500 : 3500));
        const { killed } = await startAndKill(home, kind === 'expert' ? expertArgs : assemblyArgs, delay, running);
        counts.kills++;
        const run = latestRun(home);
        if (!killed || !run || run.id <= before) {
          failures.push(`#${i} ${kind}: finished before the kill at ${delay} ms`);
          continue;
        }
        counts.killed_while_running++;
        if (integrity(home) === 'ok') counts.integrity_ok++;
        else failures.push(`#${i}: integrity_check failed`);
        const shown = (await cli(home, ['runs', 'show', String(run.id)])).json as { status?: string };
        if (shown?.status === 'interrupted') counts.interrupted++;
        else failures.push(`#${i}: run ${run.id} is ${shown?.status}, not interrupted`);
        const resumed = await cli(home, ['runs', 'resume', String(run.id)]);
        if (resumed.code === 0 && (resumed.json as { status?: string }).status === 'completed') counts.resumed++;
        else failures.push(`#${i}: resume of ${run.id} exited ${resumed.code}: ${resumed.stderr.slice(0, 300)}`);
        if (metricsOf(resumed.json) === reference[kind]) counts.metrics_equal++;
        else failures.push(`#${i}: run ${run.id} metrics ${metricsOf(resumed.json)} != ${reference[kind]}`);

        // kill -9 an export of the resumed run at a random moment.
        const target = join(exportsDir, `export-${i}`);
        const exportDelay = Math.floor(next() * 2500);
        await startAndKill(home, ['export', String(run.id), target], exportDelay, () => true);
        counts.export_kills++;
        const visible = readdirSync(exportsDir).filter((e) => !e.startsWith('.'));
        const whole = visible.every((e) => {
          const manifest = join(exportsDir, e, 'manifest.json');
          if (!existsSync(manifest)) return false;
          const m = JSON.parse(readFileSync(manifest, 'utf8')) as { components: { path: string; bytes: number }[] };
          return m.components.every((c) => existsSync(join(exportsDir, e, c.path)) && statSync(join(exportsDir, e, c.path)).size === c.bytes);
        });
        if (whole) counts.exports_whole_or_absent++;
        else failures.push(`#${i}: a visible export is incomplete`);

        // The next process to open the home sweeps what the kills cut short.
        await cli(home, ['runs', 'list']);
        const leftovers = [...halfWritten(home), ...incompleteBundles(home)];
        if (leftovers.length === 0) counts.nothing_half_written++;
        else failures.push(`#${i}: half-written: ${leftovers.join(', ')}`);
      }
      emit({ bench: 'crash', n, seed, ...counts, failures: failures.length, first_failure: failures[0] ?? null, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) });
      for (const f of failures) console.error(`[crash] ${f}`);
    } finally {
      for (const d of [home, input, exportsDir]) rmSync(d, { recursive: true, force: true });
    }
  },
});
