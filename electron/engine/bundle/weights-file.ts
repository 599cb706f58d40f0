// weights.bin + weights.json: every float32 variable concatenated (little-endian) and an index
// of name, shape, dtype, byteOffset and byteLength. The order is the order given (the model's
// fixed component order), so the same weights always give the same bytes.
import { Buffer } from 'node:buffer';
import { readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';

/** The file is little-endian; on such a machine (x64, arm64) a float array's bytes are the file's, copied whole. */
const LITTLE_ENDIAN = endianness() === 'LE';

export interface WeightEntry {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface WeightIndexEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  byteOffset: number;
  byteLength: number;
}

export async function writeWeights(dir: string, base: string, entries: readonly WeightEntry[]): Promise<void> {
  const index: WeightIndexEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (size !== e.data.length) throw new Error(`weight ${e.name}: shape [${e.shape.join(', ')}] holds ${size} values, data has ${e.data.length}`);
    // Little-endian: the array's own bytes are written, no copy (a checkpoint is tens of MB per epoch).
    const bytes = LITTLE_ENDIAN ? new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength) : bigEndianToFile(e.data);
    chunks.push(bytes);
    index.push({ name: e.name, shape: [...e.shape], dtype: 'float32', byteOffset: offset, byteLength: bytes.length });
    offset += bytes.length;
  }
  await writeFile(join(dir, `${base}.bin`), chunks);
  await writeFile(join(dir, `${base}.json`), `${JSON.stringify(index, null, 1)}\n`);
}

function bigEndianToFile(data: Float32Array): Uint8Array {
  const bytes = Buffer.alloc(data.length * 4);
  data.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
}

export async function readWeights(dir: string, base: string): Promise<Map<string, WeightEntry>> {
  const index = JSON.parse(await readFile(join(dir, `${base}.json`), 'utf8')) as WeightIndexEntry[];
  const bin = await readFile(join(dir, `${base}.bin`));
  if (!Array.isArray(index)) throw new Error(`${join(dir, `${base}.json`)} is not a weight index`);
  const out = new Map<string, WeightEntry>();
  for (const e of index) {
    if (e.dtype !== 'float32') throw new Error(`weight ${e.name}: dtype ${String(e.dtype)} is not supported (float32 only)`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.byteLength !== size * 4 || e.byteOffset < 0 || e.byteOffset + e.byteLength > bin.length) {
      throw new Error(`weight ${e.name}: bytes [${e.byteOffset}, ${e.byteOffset + e.byteLength}) do not fit shape [${e.shape.join(', ')}] in ${bin.length}-byte ${base}.bin`);
    }
    const data = new Float32Array(size);
    if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bin.subarray(e.byteOffset, e.byteOffset + e.byteLength));
    else for (let i = 0; i < size; i++) data[i] = bin.readFloatLE(e.byteOffset + i * 4);
    out.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return out;
}
