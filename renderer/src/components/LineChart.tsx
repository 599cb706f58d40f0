// A uPlot line chart of metric series against the step. The plot is created once per set of
// series names and fed new data in place, so live updates stay cheap; it follows its box's width.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, SERIES_COLORS, type SeriesPoints } from './chart-data.ts';

const HEIGHT = 220;
const COMPACT_HEIGHT = 170;
const SPARSE_POINTS = 30;

function sparse(u: uPlot, seriesIndex: number): boolean {
  const column = u.data[seriesIndex] ?? [];
  let count = 0;
  for (const v of column) if (v !== null && v !== undefined && ++count > SPARSE_POINTS) return false;
  return true;
}

export function LineChart({ title, series, marker, compact = false }: { title: string; series: SeriesPoints[]; marker?: number | null; compact?: boolean }) {
  const height = compact ? COMPACT_HEIGHT : HEIGHT;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerRef = useRef<number | null>(marker ?? null);
  markerRef.current = marker ?? null;
  const names = series.map((s) => s.label).join('\u0000');
  const data = useMemo(() => alignSeries(series), [series]);

  useEffect(() => {
    const element = box.current;
    if (!element || series.length === 0) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: true },
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, {}],
      series: [
        { label: 'step' },
        // Points only where a series is sparse (an evaluation per epoch): a lone value must be visible.
        ...series.map((s, i) => ({ label: s.label, stroke: SERIES_COLORS[i % SERIES_COLORS.length], width: 2, spanGaps: true, points: { show: sparse, size: 6, fill: SERIES_COLORS[i % SERIES_COLORS.length] } })),
      ],
      hooks: {
        // The playback position as a vertical line.
        draw: [
          (u: uPlot) => {
            const step = markerRef.current;
            if (step === null) return;
            const x = u.valToPos(step, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#111827';
            ctx.setLineDash([4, 4]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    const chart = new uPlot(options, data as uPlot.AlignedData, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Recreated only when the set of series changes; data updates go through setData below.
  }, [names, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [marker]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {series.length === 0 ? <p className="muted">No values yet.</p> : <div ref={box} className="chart-box" role="img" aria-label={`${title}: ${series.map((s) => s.label).join(', ')}`} />}
    </figure>
  );
}
