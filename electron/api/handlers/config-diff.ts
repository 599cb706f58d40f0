// The config fields that differ among several runs, for curves compared side by side.
import type { z } from 'zod';
import type { ConfigDifference } from '../../../shared/contract.ts';
import type { Store } from '../../store/index.ts';
import { getRun } from './runs.ts';

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

export function configDiff(store: Store, ids: readonly number[]): z.infer<typeof ConfigDifference>[] {
  const flat = ids.map((id) => {
    const out = new Map<string, unknown>();
    flatten(getRun(store, id).config, '', out);
    return out;
  });
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  return paths
    .map((path) => ({ path, values: flat.map((f) => (f.has(path) ? JSON.stringify(f.get(path)) : 'undefined')) }))
    .filter((d) => new Set(d.values).size > 1);
}
