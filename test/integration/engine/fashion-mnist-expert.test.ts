// The image encoder on real photographs, not only on the generated textures: a texture expert on
// 1,000 Fashion-MNIST images (Debian package dataset-fashion-mnist; 100 per class, 800 for training)
// with the default expert config must beat chance (0.1) clearly. Skipped where the package is not
// installed (test/integration/datasets/fashion-mnist.test.ts asks for it).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { ExpertConfig } from '../../../shared/config.ts';
import { loadDataset } from '../../../electron/engine/datasets/load.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { trainExpert } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from '../../unit/engine/setup-backend.ts';

const DATA = '/usr/share/datasets/fashion-mnist';
const IMAGES = join(DATA, 't10k-images-idx3-ubyte.gz');
const LABELS = join(DATA, 't10k-labels-idx1-ubyte.gz');
const PER_CLASS = 100;

let root: string | null = null;
afterAll(async () => {
  if (root !== null) await rm(root, { recursive: true, force: true });
});

/** IDX: big-endian magic, dimension sizes, then unsigned bytes. */
function readIdx(bytes: Buffer): { dims: number[]; data: Buffer } {
  const rank = bytes[3];
  return { dims: Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i)), data: bytes.subarray(4 + 4 * rank) };
}

describe('texture expert on Fashion-MNIST', () => {
  it('learns ten clothing classes from 800 grey photographs (Debian dataset-fashion-mnist, installed by .ci/run)', async () => {
    expect(existsSync(IMAGES) && existsSync(LABELS), `${IMAGES} missing: apt-get install -y dataset-fashion-mnist`).toBe(true);
    await useBackend();
    const images = readIdx(gunzipSync(await readFile(IMAGES)));
    const labels = readIdx(gunzipSync(await readFile(LABELS)));
    const [count, height, width] = images.dims;
    root = await mkdtemp(join(tmpdir(), 'mw-fashion-'));
    const written = new Array<number>(10).fill(0);
    for (let i = 0; i < count && written.some((n) => n < PER_CLASS); i++) {
      const label = labels.data[i];
      if (written[label] >= PER_CLASS) continue;
      const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
      png.data = Buffer.from(images.data.subarray(i * width * height, (i + 1) * width * height));
      await mkdir(join(root, 'images', `class-${label}`), { recursive: true });
      await writeFile(join(root, 'images', `class-${label}`, `${i}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
      written[label]++;
    }
    await mkdir(join(root, 'dataset'));
    const prepared = await prepareDataset(join(root, 'images'), { kind: 'texture', seed: 3 }, join(root, 'dataset'));
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.problems.slice(0, 3)));
    const dataset = await loadDataset(join(root, 'dataset'), 'fashion');
    const result = await trainExpert({ config: ExpertConfig.parse({ dataset: 'fashion' }), dataset }, silentHooks, new AbortController().signal);
    // 0.74 here; the patch-only encoder before the conv stem reached 0.59.
    expect(result.metrics.test.accuracy).toBeGreaterThan(0.6);
  }, 60_000);
});
