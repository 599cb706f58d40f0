// A scatter of two sweep columns on SVG: one point per trial with both values (categorical columns
// spread their categories evenly); trials outside the brushes are drawn hollow.
import type { SweepTrial } from '../../../shared/explore.ts';
import { formatNumber } from '../format.ts';
import { position, type Column } from './sweep-columns.ts';

const W = 420;
const H = 300;
const M = 44;

function label(c: Column, p: number): string {
  if (!c.numeric) return c.categories[Math.round(p * Math.max(0, c.categories.length - 1))] ?? '';
  return formatNumber(c.min + p * (c.max - c.min), 3);
}

export function Scatter({ x, y, trials, kept }: { x: Column; y: Column; trials: SweepTrial[]; kept: (t: SweepTrial) => boolean }) {
  const points = trials.map((t) => ({ t, px: position(x, x.value(t)), py: position(y, y.value(t)) })).filter((p) => p.px !== null && p.py !== null);
  const sx = (p: number) => M + p * (W - 2 * M);
  const sy = (p: number) => H - M - p * (H - 2 * M);
  return (
    <svg className="scatter" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Scatter of ${y.title} against ${x.title}`} data-testid="scatter">
      <line x1={M} x2={W - M} y1={H - M} y2={H - M} stroke="#374151" />
      <line x1={M} x2={M} y1={M} y2={H - M} stroke="#374151" />
      {[0, 1].map((p) => (
        <g key={p}>
          <text x={sx(p)} y={H - M + 16} textAnchor="middle">
            {label(x, p)}
          </text>
          <text x={M - 6} y={sy(p) + 4} textAnchor="end">
            {label(y, p)}
          </text>
        </g>
      ))}
      <text x={W / 2} y={H - 6} textAnchor="middle" fontWeight={600}>
        {x.title}
      </text>
      <text x={12} y={H / 2} textAnchor="middle" fontWeight={600} transform={`rotate(-90 12 ${H / 2})`}>
        {y.title}
      </text>
      {points.map(({ t, px, py }) => (
        <circle key={t.index} data-trial={t.index} cx={sx(px!)} cy={sy(py!)} r={5} fill={kept(t) ? '#2563eb' : 'none'} stroke="#2563eb">
          <title>{`trial ${t.index}: ${x.title} ${String(x.value(t))}, ${y.title} ${String(y.value(t))}`}</title>
        </circle>
      ))}
    </svg>
  );
}
