// The layer table in eslint.config.js must reject each forbidden import and allow the normal ones.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  const forbidden: [string, string][] = [
    ['electron/engine/model/x.ts', "import 'electron';\n"],
    ['electron/engine/model/x.ts', "import { openStore } from '../../store/index.ts';\nexport const s = openStore;\n"],
    ['electron/store/x.ts', "import { initBackend } from '../engine/compute/backend.ts';\nexport const b = initBackend;\n"],
    ['electron/store/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n"],
    ['electron/api/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/cli/x.ts', "import { createMainWindow } from '../main/window.ts';\nexport const w = createMainWindow;\n"],
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n"],
    ['renderer/src/x.ts', "import { openWorkbench } from '../../electron/api/workbench.ts';\nexport const o = openWorkbench;\n"],
    ['shared/x.ts', "import { openStore } from '../electron/store/index.ts';\nexport const s = openStore;\n"],
    ['shared/x.ts', "import { join } from 'node:path';\nexport const j = join;\n"],
    ['electron/preload/x.ts', "import { openStore } from '../store/index.ts';\nexport const s = openStore;\n"],
  ];
  it.each(forbidden)('%s: rejects %s', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/Layer rule/);
  });

  const allowed: [string, string][] = [
    ['electron/engine/model/x.ts', "import * as tf from '@tensorflow/tfjs';\nimport { IMAGE_SIZE } from '../../../shared/domain.ts';\nexport const a = [tf, IMAGE_SIZE];\n"],
    ['electron/api/x.ts', "import { openStore } from '../store/index.ts';\nimport { initBackend } from '../engine/compute/backend.ts';\nexport const a = [openStore, initBackend];\n"],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['renderer/src/x.ts', "import { createClient } from '../../shared/client.ts';\nexport const c = createClient;\n"],
  ];
  it.each(allowed)('%s: allows %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
