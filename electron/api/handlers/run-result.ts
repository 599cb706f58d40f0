// A stored run result made typed for `runs.show`: tagged by what the run is (its config type, or
// an import) and checked against that type's schema. A result that does not fit (a run written
// by another version) is still shown: as its numbers, with the reason, never as a failed call.
import { describeZodError } from '../../../shared/contract.ts';
import { RunResult, type RunResultType } from '../../../shared/run-results.ts';
import type { RunRow } from '../../store/index.ts';

const CONFIG_TYPES: ReadonlySet<string> = new Set(['expert', 'anchor', 'assembly', 'router-bench', 'sweep']);

function typeOf(run: RunRow): RunResultType | null {
  if (run.kind === 'import') return 'import';
  const type = run.config.type;
  return typeof type === 'string' && CONFIG_TYPES.has(type) ? (type as RunResultType) : null;
}

/** An import stores its source's metrics ({test} per dataset for an assembly, {test, validation} for an expert); the UI gets test per dataset. */
function importTest(result: Record<string, unknown>): unknown {
  const metrics = (result.metrics ?? null) as { test?: unknown } | null;
  const datasets = Array.isArray(result.datasets) ? (result.datasets as { name?: unknown }[]) : [];
  const test = metrics?.test;
  if (test === undefined || test === null) return {};
  const perDataset = Object.values(test as object).every((v) => v !== null && typeof v === 'object');
  return perDataset ? test : { [String(datasets[0]?.name ?? 'model')]: test };
}

export function numbersIn(value: unknown, prefix = '', out: [string, number][] = []): [string, number][] {
  if (typeof value === 'number' && Number.isFinite(value)) out.push([prefix, value]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbersIn(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export function typedResult(run: RunRow): RunResult | null {
  const stored = run.result;
  if (stored === null) return null;
  const type = typeOf(run);
  if (type === null) return { type: 'unreadable', reason: `runs of type ${JSON.stringify(run.config.type ?? null)} have no known result`, values: numbersIn(stored) };
  const tagged = type === 'import' ? { type, source_run: stored.source_run, datasets: stored.datasets, test: importTest(stored) } : { ...stored, type };
  const parsed = RunResult.safeParse(tagged);
  if (parsed.success) return parsed.data;
  return { type: 'unreadable', reason: `this ${type} result is not in the expected form: ${describeZodError(parsed.error)}`, values: numbersIn(stored) };
}
