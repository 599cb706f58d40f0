// Every hand-written wasm kernel (electron/engine/compute/wasm/*.wat) is embedded as a base64
// constant (<name>-wasm.ts, written by `npm run build:wasm`): each constant must be its source's
// assembly, so that an edited .wat is never shipped unassembled.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleWat, WASM_DIR } from '../../../scripts/wat.ts';

const sources = readdirSync(WASM_DIR).filter((f) => f.endsWith('.wat'));

describe('embedded wasm kernels', () => {
  it('are there to check (gelu and segment-sum at least)', () => {
    expect(sources).toEqual(expect.arrayContaining(['gelu.wat', 'segment-sum.wat', 'sum-rows.wat']));
  });

  it.each(sources)('%s: the embedded constant is its assembly (npm run build:wasm)', async (file) => {
    const name = file.slice(0, -'.wat'.length);
    const module = (await import(join(WASM_DIR, `${name}-wasm.ts`))) as Record<string, string>;
    const constant = module[`${name.toUpperCase().replace(/-/g, '_')}_WASM`];
    expect(constant, `${name}-wasm.ts exports its constant`).toBeTypeOf('string');
    const bytes = await assembleWat(readFileSync(join(WASM_DIR, file), 'utf8'), file);
    expect(Buffer.from(constant, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});
