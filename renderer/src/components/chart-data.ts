// Turns named metric series into uPlot's aligned columns: one x axis (the union of steps), one
// y column per series with gaps where a series has no value at that step.

export interface SeriesPoints {
  label: string;
  points: { step: number; value: number | null }[];
}

export function alignSeries(series: SeriesPoints[]): [number[], ...(number | null)[][]] {
  const steps = [...new Set(series.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(steps.length).fill(null);
    for (const p of s.points) column[index.get(p.step)!] = p.value !== null && Number.isFinite(p.value) ? p.value : null;
    return column;
  });
  return [steps, ...columns];
}

/** Distinct, readable colours for up to a dozen lines; cycles after that. */
export const SERIES_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];
