// Real image data from the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist):
// IDX files -> a folder of grey PNGs, one sub-folder per class -> registered as a texture dataset.
// Skipped where the package is not installed.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../electron/engine/datasets/load.ts';
import { prepareDataset } from '../../../electron/engine/datasets/prepare.ts';

const DATA = '/usr/share/datasets/fashion-mnist';
const IMAGES = join(DATA, 't10k-images-idx3-ubyte.gz');
const LABELS = join(DATA, 't10k-labels-idx1-ubyte.gz');
const CLASS_NAMES = ['tshirt-top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];
const PER_CLASS = 60;

const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** IDX: big-endian magic (0x0803 images, 0x0801 labels), dimension sizes, then unsigned bytes. */
function readIdx(bytes: Buffer): { dims: number[]; data: Buffer } {
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

// Real image data from Debian's dataset-fashion-mnist (installed by .ci/run); never committed.
describe('Fashion-MNIST from dataset-fashion-mnist', () => {
  it('is installed (apt-get install dataset-fashion-mnist)', () => {
    expect(existsSync(IMAGES) && existsSync(LABELS), `${IMAGES} missing: run apt-get install -y dataset-fashion-mnist`).toBe(true);
  });

  it('registers as a texture dataset with ten classes and loads back', async () => {
    const images = readIdx(gunzipSync(await readFile(IMAGES)));
    const labels = readIdx(gunzipSync(await readFile(LABELS)));
    const [count, height, width] = images.dims;
    expect([count, height, width]).toEqual([10000, 28, 28]);
    const root = await mkdtemp(join(tmpdir(), 'fashion-'));
    temp.push(root);
    const written = CLASS_NAMES.map(() => 0);
    for (let i = 0; i < count && written.some((n) => n < PER_CLASS); i++) {
      const label = labels.data[i];
      if (written[label] >= PER_CLASS) continue;
      const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
      png.data = Buffer.from(images.data.subarray(i * width * height, (i + 1) * width * height));
      const dir = join(root, CLASS_NAMES[label]);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${String(i).padStart(5, '0')}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
      written[label]++;
    }

    const workDir = await mkdtemp(join(tmpdir(), 'fashion-work-'));
    temp.push(workDir);
    const result = await prepareDataset(root, { kind: 'texture', seed: 3 }, workDir);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { prepared } = result;
    expect(prepared.labels).toEqual([...CLASS_NAMES].sort());
    expect(prepared.counts).toEqual({ train: 480, validation: 60, test: 60 });
    expect(prepared.stats.imageSizes).toEqual({ '28x28': 600 });
    const loaded = await loadDataset(workDir, 'fashion');
    expect(loaded.records.length).toBe(600);
    if (loaded.kind !== 'texture') throw new Error('wrong kind');
    // Grey input becomes RGB with three equal channels.
    const pixels = Buffer.from(loaded.records[0].pixels, 'base64');
    for (let p = 0; p < pixels.length; p += 3) expect(pixels[p]).toBe(pixels[p + 1]);
  });
});
