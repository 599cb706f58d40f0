// Benchmarks register themselves by name: a bench is a file in bench/ that calls registerBench.
// bench/run.ts imports every such file, so adding a bench touches no other file.

/** One result line; printed as JSON. `bench` names the series (a bench may emit several). */
export interface BenchRow {
  bench: string;
  [field: string]: string | number | boolean | null;
}

export interface Bench {
  /** Name used on the command line: `npm run bench -- NAME`. */
  name: string;
  /** One line for `--list`. */
  description: string;
  /** Runs the measurements, reporting each result row through `emit` as soon as it is known. */
  run(emit: (row: BenchRow) => void): Promise<void>;
}

const benches = new Map<string, Bench>();

export function registerBench(bench: Bench): void {
  if (benches.has(bench.name)) throw new Error(`bench "${bench.name}" is registered twice`);
  benches.set(bench.name, bench);
}

export function registeredBenches(): Bench[] {
  return [...benches.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Median of a non-empty list of timings. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
