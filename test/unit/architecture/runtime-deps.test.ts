// Runtime code imports only what a production install has: package.json "dependencies" and
// "optionalDependencies" (and Node's built-ins). Checked twice: every import in the runtime
// folders is read here (dynamic imports included), and the lint rule rejects a devDependency.
import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string> | undefined>;
const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
const RUNTIME_DIRS = ['electron/engine', 'electron/store', 'electron/api', 'electron/cli', 'electron/serve', 'shared', 'bin'];

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Package names of the non-type imports of a file: static, side-effect, dynamic and require. */
export function importedPackages(code: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm, /^\s*import\s+['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*export\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

describe('runtime dependencies', () => {
  it('the import reader finds static, dynamic and require imports and skips type-only ones', () => {
    expect(importedPackages("import a from 'x';\nimport type { T } from 'y';\nimport '@s/p/deep';\nconst m = await import('z/sub');\nrequire('w');\nexport { q } from 'v';")).toEqual(['x', '@s/p', 'z', 'w', 'v']);
  });

  it('every package imported by runtime code is a dependency', () => {
    const offenders: string[] = [];
    for (const dir of RUNTIME_DIRS) {
      for (const file of sources(dir)) {
        for (const name of importedPackages(readFileSync(file, 'utf8'))) if (!runtime.has(name)) offenders.push(`${file}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the lint rule rejects a devDependency in runtime code and allows it in tests and the renderer', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const errors = async (filePath: string, code: string) =>
      (await eslint.lintText(code, { filePath }))[0].messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    for (const file of ['electron/engine/x.ts', 'electron/store/x.ts', 'electron/api/x.ts', 'electron/cli/x.ts', 'electron/serve/x.ts', 'shared/x.ts']) {
      expect(await errors(file, "import fc from 'fast-check';\nexport const f = fc;\n")).toEqual([expect.stringMatching(/^.fast-check. import is restricted.*Dependency rule: runtime code/)]);
    }
    expect(await errors('electron/engine/x.ts', "import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';\nexport const x = xoroshiro128plus;\n")).toEqual([]);
    expect(await errors('renderer/src/x.ts', "import React from 'react';\nexport const r = React;\n")).toEqual([]);
  });
});
