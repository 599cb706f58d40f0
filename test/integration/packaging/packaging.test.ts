// The packaging check: electron-builder.yml, resolved by electron-builder's own matchers against
// the electron-vite build and the production dependency tree, ships everything the app loads at
// run time, unpacked where the operating system must read it; fixture configurations that drop a
// .wasm, the worker entry, the native module or the samples fail with that file's name. And the
// paths the app computes at run time resolve in both layouts: this checkout, and the installed
// app (app.asar, app.asar.unpacked and the resources beside them).
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appLayout, BUILD_OUTPUT, unpackedPath } from '../../../electron/api/app-layout.ts';
import { BUILT_IN_SAMPLES, sampleRequests } from '../../../electron/api/samples.ts';
import { PROJECT_ROOT } from '../../e2e/build-renderer.ts';
import { buildAppIfStale } from './build-app.ts';
import { loadBuilderConfig, missingFromPlan, planPackage, PLATFORMS, strayFiles, runtimeRequirements, validateBuilderConfig, type BuilderConfig, type PackagePlan, type Platform, type Requirement } from './package-plan.ts';

let config: BuilderConfig;
// Linux is the platform the fixtures change; the others are checked as configured.
let requirements: Requirement[];
let plan: PackagePlan;

const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const NATIVE = 'node_modules/better-sqlite3/prebuilds/linux-x64.node';
const NATIVE_WHY = 'native module of better-sqlite3 for linux-x64';

/** The configuration with one more `files` pattern, as electron-builder reads it (one file set). */
function withFilePattern(c: BuilderConfig, pattern: string): BuilderConfig {
  const [first, ...rest] = c.files ?? [];
  const set = first as { filter?: string[] };
  return { ...c, files: [{ ...set, filter: [...(set.filter ?? []), pattern] }, ...rest] };
}

function planWith(change: (c: BuilderConfig) => BuilderConfig): string[] {
  return missingFromPlan(planPackage(PROJECT_ROOT, change(structuredClone(config)), 'linux'), requirements);
}

beforeAll(async () => {
  await buildAppIfStale();
  config = await loadBuilderConfig(PROJECT_ROOT);
  requirements = runtimeRequirements(PROJECT_ROOT, config, 'linux');
  plan = planPackage(PROJECT_ROOT, config, 'linux');
}, 600_000);

describe('electron-builder configuration', () => {
  it('is valid for electron-builder and names the installers, the app and its icons', async () => {
    expect(config.appId).toBe('dev.moeworkbench.app');
    expect(config.productName).toBe('MoE Workbench');
    const targets = (platform: string) => ((config[platform] as { target: { target: string; arch: string[] }[] }).target ?? []).map((t) => `${t.target}:${t.arch.join('+')}`);
    expect(targets('mac')).toEqual(['dmg:arm64+x64', 'zip:arm64+x64']);
    expect(targets('win')).toEqual(['nsis:x64']);
    expect(targets('linux')).toEqual(['AppImage:x64', 'deb:x64']);
    for (const icon of [(config.mac as { icon: string }).icon, (config.win as { icon: string }).icon, join((config.linux as { icon: string }).icon, '512x512.png')]) {
      expect(existsSync(join(PROJECT_ROOT, icon)), icon).toBe(true);
    }
    // The schema check is electron-builder's: an unknown option is refused.
    await expect(validateBuilderConfig({ ...config, asarUnpackk: ['x'] })).rejects.toThrow(/asarUnpackk/);
  });

  it('reads what the app loads from the build and the packages themselves', () => {
    const paths = requirements.map((r) => `${r.where} ${r.path}`);
    for (const entry of Object.values(BUILD_OUTPUT)) expect(paths).toContain(`app ${entry}`);
    const wasm = requirements.filter((r) => r.path.endsWith('.wasm'));
    expect(wasm.map((r) => posix.basename(r.path)).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    expect(wasm.every((r) => r.where === 'unpacked' && r.path.startsWith(`${WASM_DIR}/`))).toBe(true);
    expect(paths).toContain(`unpacked ${NATIVE}`);
    expect(paths.filter((p) => p.endsWith('.node'))).toEqual([`unpacked ${NATIVE}`]);
    for (const name of ['@tensorflow/tfjs', 'better-sqlite3', 'zod']) expect(paths).toContain(`app node_modules/${name}/package.json`);
    // The renderer's scripts and styles, and each sample file (the texture folder's images too).
    expect(requirements.filter((r) => r.path.startsWith('out/renderer/assets/')).length).toBeGreaterThanOrEqual(2);
    expect(requirements.filter((r) => r.where === 'resource' && r.path.startsWith('samples/texture/')).length).toBeGreaterThan(10);
  });

  it.each(PLATFORMS)('ships everything the app loads at run time on %s, unpacked where it must be', (platform: Platform) => {
    const own = runtimeRequirements(PROJECT_ROOT, config, platform);
    const natives = own.filter((r) => r.path.endsWith('.node')).map((r) => posix.basename(r.path));
    expect(natives).toEqual({ mac: ['darwin-arm64.node', 'darwin-x64.node'], win: ['win32-x64.node'], linux: ['linux-x64.node'] }[platform]);
    const planned = planPackage(PROJECT_ROOT, config, platform);
    expect(missingFromPlan(planned, own)).toEqual([]);
    // Each installer carries only its own platform's SQLite binaries.
    const shipped = [...planned.app].filter((p) => p.startsWith('node_modules/better-sqlite3/prebuilds/')).map((p) => posix.basename(p));
    expect(shipped.sort()).toEqual({ mac: ['darwin-arm64.node', 'darwin-x64.node'], win: ['win32-arm64.node', 'win32-x64.node'], linux: ['linux-arm64.node', 'linux-x64.node', 'linuxmusl-arm64.node', 'linuxmusl-x64.node'] }[platform]);
  });

  it('leaves out what the app does not load', () => {
    // What is left out on purpose, and what stays inside the archive.
    expect([...plan.app].some((p) => p.startsWith('node_modules/@tensorflow/tfjs-node/'))).toBe(false);
    expect([...plan.app].some((p) => p.endsWith('.map'))).toBe(false);
    expect(strayFiles(plan)).toEqual([]);
    // electron-builder's trap: a bare '!' pattern in a platform's `files` makes it take the
    // whole project (sources, tests, resources); the check sees it.
    const trap = planPackage(PROJECT_ROOT, { ...config, linux: { ...(config.linux as object), files: ['!node_modules/better-sqlite3/prebuilds/darwin-*.node'] } }, 'linux');
    expect(strayFiles(trap)).toEqual(expect.arrayContaining(['electron/main/index.ts', 'test/integration/packaging/packaging.test.ts']));
    expect(plan.unpacked.has(BUILD_OUTPUT.main)).toBe(false);
  });

  it('fails, naming the file, when a .wasm is left out or left inside the archive', () => {
    const simd = `${WASM_DIR}/tfjs-backend-wasm-simd.wasm`;
    expect(planWith((c) => withFilePattern(c, `!${simd}`))).toEqual([expect.stringContaining(`${simd} (WebAssembly binary of the tfjs wasm backend) is not in the package`)]);
    const packed = planWith((c) => ({ ...c, asarUnpack: (c.asarUnpack ?? []).filter((p) => !p.endsWith('.wasm')) }));
    expect(packed).toHaveLength(3);
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      expect(packed).toContainEqual(`${WASM_DIR}/${name} (WebAssembly binary of the tfjs wasm backend) is inside app.asar but must be unpacked`);
    }
  });

  it('fails, naming the file, when the worker entry is left out', () => {
    expect(planWith((c) => withFilePattern(c, `!${BUILD_OUTPUT.worker}`))).toEqual([`${BUILD_OUTPUT.worker} (worker) is not in the package`]);
  });

  it('fails, naming the file, when the native module is left out or packed', () => {
    expect(planWith((c) => withFilePattern(c, '!node_modules/better-sqlite3/prebuilds/**'))).toEqual([`${NATIVE} (${NATIVE_WHY}) is not in the package`]);
    // A platform's files that leave out its own binary (here Linux excluding linux-*).
    expect(planWith((c) => ({ ...c, linux: { ...(c.linux as object), files: [{ filter: ['!node_modules/better-sqlite3/prebuilds/linux-*.node'] }] } }))).toEqual([`${NATIVE} (${NATIVE_WHY}) is not in the package`]);
    // Without asarUnpack and without electron-builder's smart unpacking it would stay inside.
    const packed = planWith((c) => ({ ...c, asar: { smartUnpack: false }, asarUnpack: (c.asarUnpack ?? []).filter((p) => !p.endsWith('.node')) }));
    expect(packed).toEqual([`${NATIVE} (${NATIVE_WHY}) is inside app.asar but must be unpacked`]);
  });

  it('fails, naming the files, when the samples are not resources', () => {
    const problems = planWith((c) => ({ ...c, extraResources: [] }));
    for (const s of BUILT_IN_SAMPLES) expect(problems.some((p) => p.startsWith(`samples/${s.file}`))).toBe(true);
  });
});

describe('paths computed at run time', () => {
  it('resolve to the build and the samples in development', () => {
    const layout = appLayout({ packaged: false, appPath: PROJECT_ROOT, resourcesPath: join(PROJECT_ROOT, 'node_modules', 'electron', 'dist', 'resources') });
    for (const path of [layout.main, layout.worker, layout.preload, layout.indexHtml]) expect(existsSync(path), path).toBe(true);
    expect(layout.worker).toBe(join(PROJECT_ROOT, 'out', 'main', 'worker.js'));
    expect(sampleRequests(layout.samplesDir).map((r) => r.name)).toEqual(BUILT_IN_SAMPLES.map((s) => s.name));
    // The main bundle takes the worker, preload and page from the layout, not paths of its own.
    const main = readFileSync(layout.main, 'utf8');
    expect(main).not.toMatch(/worker-[\w-]+\.js/);
    expect(main).not.toContain('../preload/index.cjs');
  });

  it('resolve inside the installed app: app.asar, app.asar.unpacked and the resources', () => {
    const resources = join(sep, 'Applications', 'MoE Workbench.app', 'Contents', 'Resources');
    const appPath = join(resources, 'app.asar');
    const layout = appLayout({ packaged: true, appPath, resourcesPath: resources });
    const inArchive = (path: string) => posix.normalize(relative(appPath, path).split(sep).join('/'));
    for (const path of [layout.main, layout.worker, layout.preload, layout.indexHtml]) {
      expect(path.startsWith(appPath + sep)).toBe(true);
      expect(plan.app.has(inArchive(path)), path).toBe(true);
    }
    expect(layout.samplesDir).toBe(join(resources, 'samples'));
    for (const s of BUILT_IN_SAMPLES) {
      const rel = relative(resources, join(layout.samplesDir, s.file)).split(sep).join('/');
      expect([...plan.resources].some((p) => p === rel || p.startsWith(`${rel}/`)), rel).toBe(true);
    }
    // A file the OS must read is found at its unpacked path, which the plan unpacks.
    for (const r of requirements.filter((x) => x.where === 'unpacked')) {
      const packaged = join(appPath, ...r.path.split('/'));
      const onDisk = unpackedPath(packaged);
      expect(onDisk).toBe(join(resources, 'app.asar.unpacked', ...r.path.split('/')));
      expect(plan.unpacked.has(r.path)).toBe(true);
    }
    expect(unpackedPath(join(sep, 'x', 'y.txt'))).toBe(join(sep, 'x', 'y.txt'));
  });
});
