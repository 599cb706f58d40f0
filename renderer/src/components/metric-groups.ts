// Which chart a metric belongs on, by its name: losses together, routing health (entropy,
// dropped tokens) together, and the quality metrics (accuracy, F1, RMSE, ...) together.
import type { SeriesPoints } from './chart-data.ts';

export interface MetricGroups {
  losses: SeriesPoints[];
  routing: SeriesPoints[];
  quality: SeriesPoints[];
}

export function groupMetrics(series: SeriesPoints[]): MetricGroups {
  const groups: MetricGroups = { losses: [], routing: [], quality: [] };
  for (const s of [...series].sort((a, b) => a.label.localeCompare(b.label))) {
    if (/loss/i.test(s.label)) groups.losses.push(s);
    else if (/entropy|drop|purity|load/i.test(s.label)) groups.routing.push(s);
    else if (!/samples|eta|time|lr$/i.test(s.label)) groups.quality.push(s);
  }
  return groups;
}

/** The value of every series at a step (the last point at or before it), for playback. */
export function valuesAt(series: SeriesPoints[], step: number): [string, number | null][] {
  return series.map((s) => {
    let value: number | null = null;
    for (const p of s.points) if (p.step <= step) value = p.value;
    return [s.label, value];
  });
}
