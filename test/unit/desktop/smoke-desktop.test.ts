// The desktop smoke test finds Electron's binary the way the electron package records it
// (node_modules/electron/path.txt -> dist/<that>), without requiring the package (which
// downloads a missing binary), and says which part is missing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBinary } from '../../../scripts/smoke-desktop.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'moe-smoke-root-'));
  roots.push(root);
  mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
  return root;
}

describe('electronBinary', () => {
  it('reports a package that never downloaded its binary', () => {
    const root = fakeRoot();
    expect(electronBinary(root)).toEqual({ missing: expect.stringContaining(join(root, 'node_modules', 'electron', 'path.txt')) });
  });

  it('reports a recorded binary that is not there, and finds one that is', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    const expected = join(root, 'node_modules', 'electron', 'dist', 'electron');
    expect(electronBinary(root)).toEqual({ missing: expect.stringContaining(expected) });
    mkdirSync(join(root, 'node_modules', 'electron', 'dist'));
    writeFileSync(expected, '');
    expect(electronBinary(root)).toEqual({ path: expected });
  });
});
