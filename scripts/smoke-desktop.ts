// `npm run smoke:desktop`: the desktop app itself, launched with Playwright's Electron support
// against a temporary profile (its own workbench home), checked end to end:
//   1. the window's security settings, read in the main process (context isolation, sandbox, no
//      Node integration) and what the page can reach (no require/process; the bridge's three
//      functions only);
//   2. the five pages, through the navigation;
//   3. "Add the built-in samples" on the Datasets page registers the four;
//   4. one expert trains through the IPC transport (the worker entry and the wasm backend of the
//      built or installed app), to completed;
//   5. the app quits cleanly (exit code 0), and the temporary profile is removed.
// Exit codes: 0 all passed; 1 a check failed; 2 Electron's binary is missing (one line says so).
// Not part of `npm test`: the development machines cannot download Electron.
//
//   npm run smoke:desktop                        builds (electron-vite), runs the build
//   npm run smoke:desktop -- --no-build          runs the existing build in out/
//   npm run smoke:desktop -- --executable PATH   runs an installed app (e.g. from `npm run dist`)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = ['Datasets', 'Experts', 'Assembly', 'History', 'Playground'] as const;
const SAMPLE_NAMES = ['brown-upos', 'spam-ham', 'textures', 'ratings'];
const TRAIN_TIMEOUT_MS = 5 * 60_000;

/**
 * The Electron executable npm installed, found without `require('electron')` (which downloads
 * the binary when it is missing): node_modules/electron/path.txt names it inside dist/.
 */
export function electronBinary(root = ROOT): { path: string } | { missing: string } {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `Electron's binary is not installed (no ${pathFile}; run npm ci with internet access)` };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist');
  const path = join(base, relative);
  return existsSync(path) ? { path } : { missing: `Electron's binary is missing at ${path} (run npm ci with internet access)` };
}

interface Options { executable: string | null; build: boolean }

function parseArgs(argv: string[]): Options {
  const options: Options = { executable: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--executable') options.executable = argv[++i] ?? null;
    else if (argv[i] === '--no-build') options.build = false;
    else throw new Error(`unknown argument ${argv[i]} (use --executable PATH or --no-build)`);
  }
  return options;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function pass(step: string): void {
  process.stdout.write(`ok   ${step}\n`);
}

async function checkSecurity(app: ElectronApplication, page: Page): Promise<void> {
  // The preferences the window's contents run with, as Electron's main process holds them
  // (webContents.getLastWebPreferences: undocumented, used by Electron's own lib/browser code).
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    type Prefs = { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean; nodeIntegrationInWorker?: boolean; webviewTag?: boolean; webSecurity?: boolean };
    return BrowserWindow.getAllWindows().map((w) => {
      const contents = w.webContents as unknown as { getLastWebPreferences?: () => Prefs | null };
      if (typeof contents.getLastWebPreferences !== 'function') return null;
      const p = contents.getLastWebPreferences() ?? {};
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, nodeIntegrationInWorker: p.nodeIntegrationInWorker, webviewTag: p.webviewTag, webSecurity: p.webSecurity };
    });
  });
  check(prefs.length === 1, `expected one window, found ${prefs.length}`);
  const p = prefs[0];
  check(p, 'this Electron has no webContents.getLastWebPreferences: update the smoke test to read the window settings another way');
  check(p.contextIsolation === true, `contextIsolation is ${String(p.contextIsolation)}`);
  check(p.sandbox === true, `sandbox is ${String(p.sandbox)}`);
  check(p.nodeIntegration !== true, `nodeIntegration is ${String(p.nodeIntegration)}`);
  check(p.nodeIntegrationInWorker !== true, `nodeIntegrationInWorker is ${String(p.nodeIntegrationInWorker)}`);
  check(p.webviewTag !== true, 'webviewTag is enabled');
  check(p.webSecurity !== false, 'webSecurity is off');
  const reach = await page.evaluate(`({
    require: typeof require,
    process: typeof process,
    bridge: Object.keys(window.workbench ?? {}).sort(),
  })`) as { require: string; process: string; bridge: string[] };
  check(reach.require === 'undefined' && reach.process === 'undefined', `the page reaches Node (require: ${reach.require}, process: ${reach.process})`);
  check(JSON.stringify(reach.bridge) === JSON.stringify(['invoke', 'pathForFile', 'subscribe']), `the bridge exposes ${reach.bridge.join(', ')}`);
  pass('window: contextIsolation, sandbox, no nodeIntegration (main process); the page reaches only the bridge');
}

async function walkPages(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Pages' });
  for (const title of PAGES) {
    await nav.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 15_000 });
  }
  pass(`pages: ${PAGES.join(', ')}`);
}

async function addSamples(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Datasets' }).click();
  const start = page.getByRole('region', { name: 'Start here' });
  await start.getByRole('button', { name: 'Add the built-in samples' }).click();
  await start.getByRole('status').filter({ hasText: 'Registered 4 built-in samples' }).waitFor({ timeout: 120_000 });
  const names = (await invoke<{ name: string }[]>(page, 'datasets.list', {})).map((d) => d.name).sort();
  check(JSON.stringify(names) === JSON.stringify([...SAMPLE_NAMES].sort()), `registered datasets: ${names.join(', ')}`);
  pass(`samples: ${names.join(', ')}`);
}

/** A contract call made by the page through the preload, the way the UI makes it. */
async function invoke<T>(page: Page, method: string, request: unknown): Promise<T> {
  const envelope = (await page.evaluate(`window.workbench.invoke(${JSON.stringify(method)}, ${JSON.stringify(request)})`)) as { ok: boolean; value?: T; error?: { message: string } };
  check(envelope.ok, `${method} failed over IPC: ${envelope.error?.message ?? 'no answer'}`);
  return envelope.value as T;
}

async function trainExpert(page: Page): Promise<void> {
  const info = await invoke<{ backend: string; home: string }>(page, 'info', {});
  const { id } = await invoke<{ id: number }>(page, 'runs.trainExpert', { dataset: 'spam-ham', epochs: 1 });
  const deadline = Date.now() + TRAIN_TIMEOUT_MS;
  let run: { status: string; error: string | null; latest: Record<string, number> };
  for (;;) {
    run = await invoke(page, 'runs.show', { id });
    if (!['queued', 'running'].includes(run.status)) break;
    check(Date.now() < deadline, `expert run ${id} still ${run.status} after ${TRAIN_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  check(run.status === 'completed', `expert run ${id} ended ${run.status}: ${run.error ?? ''}`);
  pass(`expert run ${id} on spam-ham trained over IPC (backend ${info.backend}; ${Object.entries(run.latest).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')})`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  let executablePath: string;
  let args: string[];
  if (options.executable) {
    if (!existsSync(options.executable)) {
      process.stdout.write(`smoke:desktop: no app at ${options.executable}\n`);
      return 2;
    }
    executablePath = options.executable;
    args = [];
  } else {
    const binary = electronBinary();
    if ('missing' in binary) {
      process.stdout.write(`smoke:desktop: skipped: ${binary.missing}\n`);
      return 2;
    }
    executablePath = binary.path;
    args = [ROOT];
    if (options.build) {
      const { build } = await import('electron-vite');
      await build({ configFile: join(ROOT, 'electron.vite.config.ts'), logLevel: 'warn' });
      pass('built with electron-vite');
    }
  }

  const profile = mkdtempSync(join(tmpdir(), 'moe-smoke-desktop-'));
  const errors: string[] = [];
  let app: ElectronApplication | null = null;
  try {
    app = await electron.launch({ executablePath, args, env: { ...process.env, MOE_WORKBENCH_USER_DATA: profile }, timeout: 60_000 });
    const page = await app.firstWindow();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 30_000 });
    const userData = await app.evaluate(({ app: a }) => a.getPath('userData'));
    check(userData === profile, `the app uses ${userData}, not the temporary profile ${profile}`);
    const info = await invoke<{ home: string }>(page, 'info', {});
    check(info.home === join(profile, 'workbench'), `the workbench home is ${info.home}`);
    pass(`launched ${executablePath} with home ${info.home}`);

    await checkSecurity(app, page);
    await walkPages(page);
    await addSamples(page);
    await trainExpert(page);
    check(errors.length === 0, `the page reported errors:\n  ${errors.join('\n  ')}`);

    const proc = app.process();
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await app.close();
    app = null;
    const code = proc.exitCode ?? (await exited);
    check(code === 0, `the app exited with ${String(code)}`);
    pass('quit cleanly (exit code 0)');
    return 0;
  } catch (error) {
    process.stdout.write(`FAIL ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await app?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
