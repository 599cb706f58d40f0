// A sweep's trials as columns for the table, the parallel coordinates and the scatter: the swept
// config fields, then each dataset's metrics. Each column knows whether it is numeric or a set of
// categories (strings, booleans, null), and places a value on [0, 1].
import type { Sweep, SweepTrial, SweepValue } from '../../../shared/explore.ts';

export interface Column {
  key: string;
  title: string;
  value: (t: SweepTrial) => SweepValue | undefined;
  /** Numeric: every present value is a number. */
  numeric: boolean;
  /** Numeric: [min, max]; categorical: the categories in first-seen order. */
  min: number;
  max: number;
  categories: string[];
  /** For metric columns: the dataset and metric. */
  metric?: { dataset: string; name: string };
}

export const categoryOf = (v: SweepValue): string => (v === null ? 'null' : String(v));

function column(key: string, title: string, trials: readonly SweepTrial[], value: Column['value'], metric?: Column['metric']): Column {
  const present = trials.map(value).filter((v): v is SweepValue => v !== undefined);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
  const nums = present.filter((v): v is number => typeof v === 'number');
  const categories = numeric ? [] : [...new Set(present.map(categoryOf))];
  return { key, title, value, numeric, min: nums.length ? Math.min(...nums) : 0, max: nums.length ? Math.max(...nums) : 1, categories, ...(metric ? { metric } : {}) };
}

export function sweepColumns(sweep: Sweep): Column[] {
  const fields = sweep.axes.map((a) => column(a.path, a.path, sweep.trials, (t) => t.config[a.path]));
  const metrics: Column[] = [];
  const names = new Map<string, Set<string>>();
  for (const t of sweep.trials) for (const [d, m] of Object.entries(t.metrics)) for (const k of Object.keys(m)) (names.get(d) ?? names.set(d, new Set()).get(d)!).add(k);
  for (const [d, set] of names) for (const k of set) metrics.push(column(`${d}/${k}`, `${d} ${k}`, sweep.trials, (t) => t.metrics[d]?.[k], { dataset: d, name: k }));
  return [...fields, ...metrics];
}

/** Position of a value on its column, 0 (bottom) to 1 (top); null where the trial has none. */
export function position(c: Column, v: SweepValue | undefined): number | null {
  if (v === undefined) return null;
  if (c.numeric) {
    if (typeof v !== 'number') return null;
    return c.max === c.min ? 0.5 : (v - c.min) / (c.max - c.min);
  }
  const i = c.categories.indexOf(categoryOf(v));
  if (i < 0) return null;
  return c.categories.length === 1 ? 0.5 : i / (c.categories.length - 1);
}

/** Brushes: per column key, a kept interval of positions [lo, hi]. */
export type Brushes = Record<string, [number, number]>;

export function passesBrushes(columns: readonly Column[], brushes: Brushes, t: SweepTrial): boolean {
  return columns.every((c) => {
    const b = brushes[c.key];
    if (!b) return true;
    const p = position(c, c.value(t));
    return p !== null && p >= b[0] - 1e-9 && p <= b[1] + 1e-9;
  });
}
