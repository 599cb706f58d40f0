// The datasets-scale bench's child process (its own process, so peak RSS is registration's alone):
// registers a generated ~100 MB semantics CSV, and optionally a folder of many small PNGs, and
// prints one JSON row each with time and peak resident memory, to show that registration streams.
// Run through `npm run bench -- datasets-scale`, or: npx node bench/child/datasets-scale.ts [--mb 100] [--images 50000]
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { prepareDataset } from '../../electron/engine/datasets/prepare.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, images: { type: 'string', default: '0' } } });
const targetBytes = Number(values.mb) * 1024 * 1024;
const imageCount = Number(values.images);

const WORDS = 'the a model data expert router token gate image text rating user item train test split seed loss layer sparse dense mixture branch assembly domain'.split(' ');
const LABELS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

function peakRssMiB(): number {
  // resourceUsage().maxRSS is in KiB.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write('id,text,label\n');
  let bytes = 0;
  let rows = 0;
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  while (bytes < targetBytes) {
    const words = Array.from({ length: 20 + (next() % 40) }, () => WORDS[next() % WORDS.length]);
    // Every 50th text has a quoted multi-line field with an embedded quote.
    const text = rows % 50 === 0 ? `"${words.slice(0, 10).join(' ')}\n""${words.slice(10).join(' ')}"""` : words.join(' ');
    const line = `${rows},${text},${LABELS[next() % LABELS.length]}\n`;
    bytes += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return rows;
}

async function writeImages(root: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const label = LABELS[i % LABELS.length];
    if (i < LABELS.length) await mkdir(join(root, label), { recursive: true });
    const png = new PNG({ width: 32, height: 32 });
    png.data.fill((i * 37) & 255);
    await writeFile(join(root, label, `${String(i).padStart(6, '0')}.png`), PNG.sync.write(png));
  }
}

async function measure(name: string, input: string, kind: 'semantics' | 'texture'): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'bench-work-'));
  const before = peakRssMiB();
  const started = performance.now();
  let heapPeak = 0;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 50);
  const result = await prepareDataset(input, { kind, seed: 1 }, workDir);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
  const records = (await stat(join(workDir, 'records.jsonl'))).size;
  console.log(
    JSON.stringify({
      bench: 'datasets-scale', input: name, input_mib: Math.round((await inputBytes(input)) / 2 ** 20), records: Object.values(result.prepared.counts).reduce((a, b) => a + b),
      seconds: Number(seconds.toFixed(2)), peak_rss_before_mib: before, peak_rss_after_mib: peakRssMiB(), heap_peak_mib: Math.round(heapPeak / 2 ** 20), records_jsonl_mib: Math.round(records / 2 ** 20),
    }),
  );
  await rm(workDir, { recursive: true, force: true });
}

async function inputBytes(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-datasets-'));
try {
  const csv = join(dir, 'big.csv');
  const rows = await writeCsv(csv);
  console.error(`generated ${csv}: ${Math.round((await stat(csv)).size / 2 ** 20)} MiB, ${rows} rows`);
  await measure('semantics CSV', csv, 'semantics');
  if (imageCount > 0) {
    const images = join(dir, 'images');
    await writeImages(images, imageCount);
    console.error(`generated ${imageCount} PNGs`);
    await measure('texture folder', images, 'texture');
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
