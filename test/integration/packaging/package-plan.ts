// What electron-builder would put in the installed app, computed without building anything:
// the configuration is loaded and validated by electron-builder's own code (app-builder-lib),
// and its own file matchers decide which files of the project and of the production dependency
// tree go into app.asar, which are unpacked beside it (asarUnpack, and the smart unpacking of
// modules with native code), and which become resources (extraResources). Then the files the app
// loads at run time are checked against that plan: a missing one is named.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, extname, join, posix, relative, resolve, sep } from 'node:path';
import { BUILD_OUTPUT, SAMPLES_RESOURCE } from '../../../electron/api/app-layout.ts';
import { BUILT_IN_SAMPLES } from '../../../electron/api/samples.ts';

// app-builder-lib is CommonJS without type declarations for these internals: typed here.
interface FileMatcherLike {
  from: string;
  to: string;
  patterns: string[];
  createFilter(): (file: string, stat: Stats) => boolean;
}
interface BuilderInternals {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
  getMainFileMatchers(appDir: string, destination: string, macroExpander: (p: string) => string, platformOptions: object, platformPackager: object, outDir: string, isElectronCompile: boolean): FileMatcherLike[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macroExpander: (p: string) => string, platformOptions: object, packager: object): FileMatcherLike;
  getFileMatchers(config: BuilderConfig, name: 'asarUnpack' | 'extraResources', destination: string, options: object): FileMatcherLike[] | null;
  isLibOrExe(file: string): boolean;
}

export interface BuilderConfig {
  files?: (string | object)[];
  asar?: boolean | { smartUnpack?: boolean };
  asarUnpack?: string[];
  extraResources?: (string | { from: string; to?: string; filter?: string[] })[];
  directories?: { output?: string; buildResources?: string };
  [key: string]: unknown;
}

const require = createRequire(import.meta.url);

function builderInternals(): BuilderInternals {
  const config = require('app-builder-lib/out/util/config/config.js') as Pick<BuilderInternals, 'getConfig' | 'validateConfiguration'>;
  const matchers = require('app-builder-lib/out/fileMatcher.js') as Pick<BuilderInternals, 'getMainFileMatchers' | 'getNodeModuleFileMatcher' | 'getFileMatchers'>;
  const unpack = require('app-builder-lib/out/asar/unpackDetector.js') as Pick<BuilderInternals, 'isLibOrExe'>;
  return { ...config, ...matchers, ...unpack };
}

/** electron-builder.yml as electron-builder reads it, validated against its schema. */
export async function loadBuilderConfig(projectDir: string): Promise<BuilderConfig> {
  const b = builderInternals();
  const config = await b.getConfig(projectDir, null, null);
  await b.validateConfiguration(config, { isEnabled: false, add() {} });
  return config;
}

export async function validateBuilderConfig(config: BuilderConfig): Promise<void> {
  await builderInternals().validateConfiguration(config, { isEnabled: false, add() {} });
}

export interface PackagePlan {
  /** Paths inside app.asar (posix, relative to the app root), unpacked ones included. */
  app: Set<string>;
  /** The subset written to app.asar.unpacked. */
  unpacked: Set<string>;
  /** Paths relative to <resources> (extraResources). */
  resources: Set<string>;
}

const toPosix = (p: string) => p.split(sep).join('/');

/** Every file under `dir` the filter keeps (directories the filter refuses are not entered). */
function walk(root: string, dir: string, keep: (file: string, stat: Stats) => boolean, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (!keep(path, stat)) continue;
    if (stat.isDirectory()) walk(root, path, keep, out);
    else out.push(path);
  }
}

/**
 * The folder of package `name` as Node finds it from `fromDir` (nearest node_modules upwards, not
 * above the app root), by its path in the app, not its real path (node_modules may be a link).
 */
function packageDir(projectDir: string, fromDir: string, name: string): string | null {
  for (let at = fromDir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (at === projectDir || dirname(at) === at) return null;
  }
}

/** The production dependency tree, as Node resolves it from the app root: package directories. */
function productionPackages(projectDir: string): { name: string; dir: string }[] {
  const seen = new Map<string, string>();
  const visit = (fromDir: string, deps: Record<string, string>, optional: Set<string>) => {
    for (const name of Object.keys(deps)) {
      const dir = packageDir(projectDir, fromDir, name);
      if (!dir) {
        if (optional.has(name)) continue;
        throw new Error(`dependency ${name} (from ${relative(projectDir, fromDir) || 'the app'}) is not installed`);
      }
      if (seen.has(dir)) continue;
      seen.set(dir, name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      visit(dir, { ...pkg.dependencies, ...pkg.optionalDependencies }, new Set(Object.keys(pkg.optionalDependencies ?? {})));
    }
  };
  const root = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  visit(projectDir, { ...root.dependencies, ...root.optionalDependencies }, new Set(Object.keys(root.optionalDependencies ?? {})));
  return [...seen].map(([dir, name]) => ({ dir, name }));
}

export type Platform = 'mac' | 'win' | 'linux';
export const PLATFORMS: readonly Platform[] = ['mac', 'win', 'linux'];
const NODE_PLATFORM: Readonly<Record<Platform, string>> = { mac: 'darwin', win: 'win32', linux: 'linux' };

/** The platform's own options (its `files` add to the common ones, as electron-builder merges them). */
function platformOptions(config: BuilderConfig, platform: Platform): { files?: (string | object)[]; target?: { target: string; arch?: string[] }[] } {
  return (config[platform] ?? {}) as { files?: (string | object)[]; target?: { target: string; arch?: string[] }[] };
}

/** `<node platform>-<arch>` of every installer the configuration builds for `platform`. */
export function targetsOf(config: BuilderConfig, platform: Platform): string[] {
  const archs = new Set(platformOptions(config, platform).target?.flatMap((t) => t.arch ?? ['x64']) ?? ['x64']);
  return [...archs].map((arch) => `${NODE_PLATFORM[platform]}-${arch}`);
}

export function planPackage(projectDir: string, config: BuilderConfig, platform: Platform): PackagePlan {
  const b = builderInternals();
  const own = platformOptions(config, platform);
  const appDir = resolve(projectDir);
  const outDir = resolve(appDir, config.directories?.output ?? 'dist');
  const expand = (pattern: string) => pattern.replace(/\$\{(arch|os|platform)\}/g, '');
  const packager = { info: { projectDir: appDir, buildResourcesDir: config.directories?.buildResources ?? 'build', isPrepackedAppAsar: false, config, debugLogger: { isEnabled: false } } };
  const dest = join(outDir, 'plan', 'app');

  // The app's own files (node_modules is excluded by electron-builder's default patterns).
  const app = new Set<string>();
  const files: { path: string; stat: Stats; moduleRoot: string | null }[] = [];
  for (const matcher of b.getMainFileMatchers(appDir, dest, expand, own, packager, outDir, false)) {
    const keep = matcher.createFilter();
    const found: string[] = [];
    const from = resolve(matcher.from);
    walk(from, from, (file, stat) => !file.endsWith(`${sep}.git`) && keep(file, stat), found);
    for (const path of found) {
      const rel = toPosix(relative(appDir, path));
      if (rel.startsWith('node_modules/')) continue;
      app.add(rel);
      files.push({ path, stat: statSync(path), moduleRoot: null });
    }
  }

  // The production dependencies, through the `files` exclusions as electron-builder applies them.
  const moduleMatcher = b.getNodeModuleFileMatcher(appDir, dest, expand, own, { config, debugLogger: { isEnabled: false } });
  const keepModuleFile = moduleMatcher.patterns.length > 0 ? moduleMatcher.createFilter() : () => true;
  for (const { dir } of productionPackages(appDir)) {
    const found: string[] = [];
    walk(dir, dir, (file, stat) => !lstatSync(file).isSymbolicLink() && keepModuleFile(file, stat), found);
    for (const path of found) {
      if (!keepModuleFile(path, statSync(path))) continue;
      app.add(toPosix(relative(appDir, path)));
      files.push({ path, stat: statSync(path), moduleRoot: dir });
    }
  }

  // Unpacked: asarUnpack patterns, and (smartUnpack, on unless turned off) every module that
  // holds a native library or executable.
  const unpacked = new Set<string>();
  const unpackMatchers = b.getFileMatchers(config, 'asarUnpack', dest, { macroExpander: expand, customBuildOptions: {}, globalOutDir: outDir, defaultSrc: appDir }) ?? [];
  const unpackFilters = unpackMatchers.map((m) => m.createFilter());
  const smart = config.asar === false || typeof config.asar !== 'object' || config.asar.smartUnpack !== false;
  const nativeRoots = new Set(smart ? files.filter((f) => f.moduleRoot && b.isLibOrExe(f.path)).map((f) => f.moduleRoot!) : []);
  if (config.asar !== false) {
    for (const f of files) {
      const rel = toPosix(relative(appDir, f.path));
      if (unpackFilters.some((keep) => keep(f.path, f.stat)) || (f.moduleRoot !== null && nativeRoots.has(f.moduleRoot))) unpacked.add(rel);
    }
  }

  // Resources: extraResources, each `from` folder through its filter to its `to`.
  const resources = new Set<string>();
  const resourcesDir = join(outDir, 'plan', 'resources');
  for (const matcher of b.getFileMatchers(config, 'extraResources', resourcesDir, { macroExpander: expand, customBuildOptions: {}, globalOutDir: outDir, defaultSrc: appDir }) ?? []) {
    const from = resolve(matcher.from);
    if (!existsSync(from)) continue;
    if (statSync(from).isFile()) {
      resources.add(toPosix(relative(resourcesDir, matcher.to)));
      continue;
    }
    const keep = matcher.patterns.length > 0 ? matcher.createFilter() : () => true;
    const found: string[] = [];
    walk(from, from, keep, found);
    for (const path of found) resources.add(toPosix(relative(resourcesDir, join(matcher.to, relative(from, path)))));
  }
  return { app, unpacked, resources };
}

export interface Requirement {
  /** posix path relative to the app root (`app`, `unpacked`) or to <resources> (`resource`). */
  path: string;
  where: 'app' | 'unpacked' | 'resource';
  why: string;
}

const BUILTINS = new Set(builtinModules);

/** Bare module names a bundle imports (ESM `from "x"`, `import("x")`, `require("x")`). */
function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"'./][^"']*)["']/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!) || spec === 'electron' || spec.startsWith('electron/')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return names;
}

/** Relative files a built file loads: its chunk imports, and the renderer page's assets. */
function relativeLoads(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const specs = file.endsWith('.html')
    ? [...code.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map((m) => m[1]!)
    : [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+|\brequire\s*\(\s*)["'](\.\.?\/[^"']+)["']/gm)].map((m) => m[1]!);
  return specs.map((s) => join(dirname(file), s));
}

/**
 * What the app loads at run time, read from the build and from the packages themselves: the
 * build's entries and everything they load, the packages the main bundles import, every `.wasm`
 * the tfjs wasm backend's Node entry names, better-sqlite3's native binary, and the samples.
 */
export function runtimeRequirements(projectDir: string, config: BuilderConfig, platform: Platform): Requirement[] {
  const out: Requirement[] = [];
  const rel = (abs: string) => toPosix(relative(projectDir, abs));
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { main?: string };
  if (pkg.main !== BUILD_OUTPUT.main) throw new Error(`package.json "main" is ${pkg.main}, but the build's main entry is ${BUILD_OUTPUT.main}`);
  out.push({ path: 'package.json', where: 'app', why: 'the app manifest (its "main" starts the app)' });

  const entries = Object.entries(BUILD_OUTPUT).map(([what, path]) => ({ what, abs: join(projectDir, path) }));
  const queue = [...entries];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { what, abs } = queue.shift()!;
    if (seen.has(abs)) continue;
    seen.add(abs);
    if (!existsSync(abs)) throw new Error(`the build has no ${rel(abs)} (${what}): run electron-vite build`);
    out.push({ path: rel(abs), where: 'app', why: what });
    if (['.js', '.cjs', '.mjs', '.html'].includes(extname(abs))) for (const loaded of relativeLoads(abs)) queue.push({ what: `loaded by ${rel(abs)}`, abs: loaded });
  }

  const mainDir = dirname(join(projectDir, BUILD_OUTPUT.main));
  const dirOf = (name: string) => {
    const dir = packageDir(projectDir, mainDir, name);
    if (!dir) throw new Error(`${name}, imported by the main bundles, is not installed`);
    return dir;
  };
  const imported = new Set<string>();
  for (const abs of seen) if (abs.startsWith(join(projectDir, 'out', 'main'))) for (const name of importedPackages(readFileSync(abs, 'utf8'))) imported.add(name);
  for (const name of imported) {
    if (name === '@tensorflow/tfjs-node') continue; // optional: the backend chooser falls back to wasm
    out.push({ path: rel(join(dirOf(name), 'package.json')), where: 'app', why: `imported by the main bundles` });
  }

  // The wasm backend's Node entry (what `import('@tensorflow/tfjs-backend-wasm')` loads) names
  // the binaries it may load, one per SIMD/threads capability of the machine.
  const wasmDir = dirOf('@tensorflow/tfjs-backend-wasm');
  const wasmEntry = join(wasmDir, (JSON.parse(readFileSync(join(wasmDir, 'package.json'), 'utf8')) as { main: string }).main);
  const wasmNames = new Set([...readFileSync(wasmEntry, 'utf8').matchAll(/tfjs-backend-wasm[\w-]*\.wasm/g)].map((m) => m[0]));
  if (wasmNames.size === 0) throw new Error(`${wasmEntry} names no .wasm file: the check would be empty`);
  for (const name of wasmNames) out.push({ path: rel(join(dirname(wasmEntry), name)), where: 'unpacked', why: 'WebAssembly binary of the tfjs wasm backend' });

  // better-sqlite3 13 loads the Node-API binary it ships for each platform,
  // prebuilds/<platform>-<arch>.node (lib/binding.js), unless one was compiled into build/.
  const sqliteDir = dirOf('better-sqlite3');
  const binding = readFileSync(join(sqliteDir, 'lib', 'binding.js'), 'utf8');
  if (!binding.includes("'prebuilds'") || !binding.includes('`${target}.node`')) throw new Error('better-sqlite3 no longer loads prebuilds/<platform>-<arch>.node: update this check');
  for (const target of targetsOf(config, platform)) {
    const file = join(sqliteDir, 'prebuilds', `${target}.node`);
    if (!existsSync(file)) throw new Error(`better-sqlite3 ships no binary for ${target} (${rel(file)})`);
    out.push({ path: rel(file), where: 'unpacked', why: `native module of better-sqlite3 for ${target}` });
  }

  for (const sample of BUILT_IN_SAMPLES) {
    const source = join(projectDir, 'resources', 'samples', sample.file);
    const filesOf = statSync(source).isDirectory() ? walkAll(source) : [source];
    for (const file of filesOf) out.push({ path: posix.join(SAMPLES_RESOURCE, toPosix(relative(join(projectDir, 'resources', 'samples'), file))), where: 'resource', why: `built-in sample ${sample.name}` });
  }
  return out;
}

function walkAll(dir: string): string[] {
  const out: string[] = [];
  walk(dir, dir, () => true, out);
  return out;
}

/** One line per requirement the plan does not meet, naming the file. */
export function missingFromPlan(plan: PackagePlan, requirements: readonly Requirement[]): string[] {
  const problems: string[] = [];
  for (const r of requirements) {
    if (r.where === 'resource') {
      if (!plan.resources.has(r.path)) problems.push(`${r.path} (${r.why}) is not among the extra resources`);
    } else if (!plan.app.has(r.path)) {
      problems.push(`${r.path} (${r.why}) is not in the package`);
    } else if (r.where === 'unpacked' && !plan.unpacked.has(r.path)) {
      problems.push(`${r.path} (${r.why}) is inside app.asar but must be unpacked`);
    }
  }
  return problems;
}

/** Files in the app that are neither the build, nor package.json, nor a production dependency. */
export function strayFiles(plan: PackagePlan): string[] {
  return [...plan.app].filter((p) => p !== 'package.json' && !p.startsWith('out/') && !p.startsWith('node_modules/'));
}
