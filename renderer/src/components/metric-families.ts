// Run curves split into small charts a person can read: one per domain (its splits x metrics,
// from keys `split/domain/metric`), one for the losses, one for routing health, one for the rest.
// Inside a chart a series is named without the chart's own name (`validation accuracy`).
import type { SeriesPoints } from './chart-data.ts';

export interface Family {
  title: string;
  series: SeriesPoints[];
}

export function metricFamilies(series: readonly SeriesPoints[]): Family[] {
  const families = new Map<string, SeriesPoints[]>();
  const add = (title: string, s: SeriesPoints) => (families.get(title) ?? families.set(title, []).get(title)!).push(s);
  for (const s of [...series].sort((a, b) => a.label.localeCompare(b.label))) {
    const parts = s.label.split('/');
    if (/samples|eta|time|lr$/i.test(s.label)) continue;
    if (/loss/i.test(s.label)) add('Losses', s);
    else if (/entropy|drop|purity|load/i.test(s.label)) add('Routing health', s);
    else if (parts.length === 3) add(parts[1], { label: `${parts[0]} ${parts[2]}`, points: s.points });
    else add('Metrics', s);
  }
  const order = (t: string) => (t === 'Losses' ? 0 : t === 'Routing health' ? 1 : 2);
  return [...families].map(([title, s]) => ({ title, series: s })).sort((a, b) => order(a.title) - order(b.title) || a.title.localeCompare(b.title));
}
