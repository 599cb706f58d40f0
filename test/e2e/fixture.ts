// One isolated end-to-end world per test: a temporary workbench home, the real engine behind
// `serve` started in-process on a free port, and a fresh browser context in the system
// Chromium (never a downloaded browser). Screenshots go to test-results/e2e/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client.ts';
import { startServer, type RunningServer } from '../../electron/serve/server.ts';
import { openWorkbench, type Workbench } from '../../electron/api/workbench.ts';
import { buildRendererIfStale, PROJECT_ROOT, RENDERER_OUT } from './build-renderer.ts';
import { launchChromium } from './chromium.ts';

export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'e2e');
export const SAMPLES = join(PROJECT_ROOT, 'resources', 'samples');

export interface World {
  home: string;
  workbench: Workbench;
  server: RunningServer;
  /** The same API the page uses, for setting up state and checking what the page shows. */
  api: ApiClient;
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw: a test ends by expecting none. */
  pageErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

async function openWorld(browser: Browser, name: string): Promise<World> {
  const home = mkdtempSync(join(tmpdir(), `moe-e2e-${name}-`));
  const workbench = await openWorkbench({ home });
  const server = await startServer({ workbench, staticDir: RENDERER_OUT, port: 0 });
  const api = createClient({ invoke: (m, r) => workbench.dispatch(m, r), subscribe: (l) => workbench.subscribe(l) });
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    home,
    workbench,
    server,
    api,
    context,
    page,
    pageErrors,
    async screenshot(shot) {
      const path = join(SCREENSHOT_DIR, `${name}-${shot}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await server.close();
      await workbench.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Sets up the describe block it is called in: the renderer built and one Chromium for the file,
 * and after each test the world it opened closed, its home removed. Returns the opener: a test
 * calls it once, with a name for its home and screenshots.
 */
export function setUpWorlds(): (name: string) => Promise<World> {
  let browser: Browser | null = null;
  let world: World | null = null;
  beforeAll(async () => {
    await buildRendererIfStale();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await world?.close();
    world = null;
  });
  return async (name) => {
    if (!browser) throw new Error('setUpWorlds: the browser is not launched (call setUpWorlds() inside describe)');
    world = await openWorld(browser, name);
    return world;
  };
}

/** Waits until every run is finished (the engine's answer, not the page's). */
export async function waitForRuns(api: ApiClient, ids: number[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await Promise.all(ids.map((id) => api.call('runs.show', { id })));
    if (runs.every((r) => !['queued', 'running'].includes(r.status))) {
      const bad = runs.filter((r) => r.status !== 'completed');
      if (bad.length) throw new Error(`runs did not complete: ${bad.map((r) => `${r.id} ${r.status} ${r.error ?? ''}`).join('; ')}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`runs ${ids.join(', ')} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
