// Parallel coordinates on SVG: one vertical axis per column (swept fields, then metrics), one
// polyline per trial with values. Dragging along an axis brushes an interval there; trials
// outside any brush fade here and leave the table (the page owns the brushes). A click on an
// axis without dragging clears its brush.
import { useRef, useState, type PointerEvent } from 'react';
import type { SweepTrial } from '../../../shared/explore.ts';
import { SERIES_COLORS } from '../components/chart-data.ts';
import { formatNumber } from '../format.ts';
import { passesBrushes, position, type Brushes, type Column } from './sweep-columns.ts';

const H = 300;
const TOP = 28;
const BOTTOM = 36;
const PAD_X = 60;
const AXIS_GAP = 150;
const innerH = H - TOP - BOTTOM;

const yOf = (p: number): number => TOP + (1 - p) * innerH;
const pOf = (y: number): number => Math.min(1, Math.max(0, 1 - (y - TOP) / innerH));

function ticks(c: Column): { p: number; label: string }[] {
  if (!c.numeric) return c.categories.map((cat, i) => ({ p: c.categories.length === 1 ? 0.5 : i / (c.categories.length - 1), label: cat }));
  if (c.min === c.max) return [{ p: 0.5, label: formatNumber(c.min, 3) }];
  return [0, 0.5, 1].map((p) => ({ p, label: formatNumber(c.min + p * (c.max - c.min), 3) }));
}

export function ParallelCoordinates({ columns, trials, brushes, onBrush }: { columns: Column[]; trials: SweepTrial[]; brushes: Brushes; onBrush: (key: string, range: [number, number] | null) => void }) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ key: string; from: number; to: number } | null>(null);
  const width = PAD_X * 2 + AXIS_GAP * Math.max(1, columns.length - 1);
  const xOf = (i: number): number => PAD_X + i * AXIS_GAP;
  const drawn = trials.filter((t) => columns.every((c) => position(c, c.value(t)) !== null));

  const localY = (e: PointerEvent): number => {
    const box = svg.current!.getBoundingClientRect();
    return ((e.clientY - box.top) / box.height) * H;
  };

  return (
    <svg ref={svg} className="parallel-coords" viewBox={`0 0 ${width} ${H}`} role="img" aria-label={`Parallel coordinates: ${drawn.length} trials over ${columns.length} axes`} data-testid="parallel-coordinates">
      {drawn.map((t) => {
        const d = columns.map((c, i) => `${i === 0 ? 'M' : 'L'}${xOf(i).toFixed(1)},${yOf(position(c, c.value(t))!).toFixed(1)}`).join(' ');
        const kept = passesBrushes(columns, brushes, t);
        return <path key={t.index} className={`trial-line${kept ? '' : ' faded'}`} data-trial={t.index} data-kept={kept} d={d} stroke={kept ? SERIES_COLORS[t.index % SERIES_COLORS.length] : undefined} />;
      })}
      {columns.map((c, i) => {
        const b = drag?.key === c.key ? ([Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)] as [number, number]) : brushes[c.key];
        return (
          <g key={c.key} data-axis={c.key}>
            <line className="axis-line" x1={xOf(i)} x2={xOf(i)} y1={TOP} y2={TOP + innerH} />
            {ticks(c).map((t, k) => (
              <text key={k} x={xOf(i) - 6} y={yOf(t.p) + 4} textAnchor="end">
                {t.label}
              </text>
            ))}
            <text x={xOf(i)} y={H - 12} textAnchor="middle" fontWeight={600}>
              {c.title}
            </text>
            {b && <rect className="brush" x={xOf(i) - 8} width={16} y={yOf(b[1])} height={Math.max(1, yOf(b[0]) - yOf(b[1]))} />}
            <rect
              className="axis-hit"
              data-testid={`axis-${c.key}`}
              aria-label={`Brush ${c.title}`}
              x={xOf(i) - 14}
              width={28}
              y={TOP - 6}
              height={innerH + 12}
              onPointerDown={(e) => {
                (e.target as Element).setPointerCapture(e.pointerId);
                const p = pOf(localY(e));
                setDrag({ key: c.key, from: p, to: p });
              }}
              onPointerMove={(e) => {
                if (drag?.key === c.key) setDrag({ ...drag, to: pOf(localY(e)) });
              }}
              onPointerUp={() => {
                if (drag?.key !== c.key) return;
                const lo = Math.min(drag.from, drag.to);
                const hi = Math.max(drag.from, drag.to);
                onBrush(c.key, hi - lo < 0.01 ? null : [lo, hi]);
                setDrag(null);
              }}
            />
          </g>
        );
      })}
    </svg>
  );
}
