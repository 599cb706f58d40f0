// Reads a prepared version folder back as the engine's LoadedDataset, checking that it is whole.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AnyRecord } from '../../../shared/domain.ts';
import { META_FILE, RECORDS_FILE, SPLIT_FILE, type PreparedVersion } from './prepare.ts';
import type { AnyLoadedDataset } from './types.ts';

/** Loads a prepared version folder (records.jsonl, split.bin, meta.json) as the engine's LoadedDataset. */
export async function loadDataset(dir: string, name: string): Promise<AnyLoadedDataset> {
  const meta = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as PreparedVersion;
  const split = new Uint8Array(await readFile(join(dir, SPLIT_FILE)));
  const records: AnyRecord[] = [];
  const hash = createHash('sha256');
  const lines = createInterface({ input: createReadStream(join(dir, RECORDS_FILE), { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    hash.update(`${line}\n`);
    records.push(JSON.parse(line) as AnyRecord);
  }
  // The version is the hash of these bytes: a mismatch means the folder was altered or cut short.
  const actual = hash.digest('hex');
  if (actual !== meta.version) throw new Error(`${dir}: records do not match version ${meta.version} (hash ${actual})`);
  if (split.length !== records.length) throw new Error(`${dir}: ${split.length} split codes for ${records.length} records`);
  return { name, kind: meta.kind, version: meta.version, implicit: meta.implicit, labels: meta.labels, records, split } as AnyLoadedDataset;
}
