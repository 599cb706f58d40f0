// Playback: a slider over a past run's timeline. At each step: the metric values then, the
// curves with a marker at that step, and the routing heatmap of the last snapshot at or before it.
import { useEffect, useId, useMemo, useState } from 'react';
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import type { SeriesPoints } from '../components/chart-data.ts';
import { metricFamilies } from '../components/metric-families.ts';
import { SmallMultiples } from '../components/SmallMultiples.tsx';
import { groupMetrics, valuesAt } from '../components/metric-groups.ts';
import { NumberTable } from '../components/NumberTable.tsx';
import { snapshotAt } from '../components/routing-stats.ts';
import { RoutingPanel } from './RoutingPanel.tsx';

const PLAY_INTERVAL_MS = 300;

export function PlaybackView({ series, snapshots }: { series: SeriesPoints[]; snapshots: RoutingSnapshot[] }) {
  const sliderId = useId();
  const steps = useMemo(() => [...new Set([...series.flatMap((s) => s.points.map((p) => p.step)), ...snapshots.map((s) => s.step)])].sort((a, b) => a - b), [series, snapshots]);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const last = Math.max(0, steps.length - 1);
  const at = Math.min(index, last);
  const step = steps[at] ?? 0;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setIndex((i) => {
        if (i >= last) {
          setPlaying(false);
          return i;
        }
        return i + 1;
      });
    }, PLAY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing, last]);

  if (steps.length === 0) return <p className="muted">This run logged no steps to play back.</p>;
  const groups = groupMetrics(series);
  const families = metricFamilies(series);
  const snapshot = snapshotAt(snapshots, step);
  const values = valuesAt(series, step);
  return (
    <div className="playback">
      <div className="playback-controls">
        <button type="button" onClick={() => (at >= last ? (setIndex(0), setPlaying(true)) : setPlaying(!playing))} aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <label htmlFor={sliderId}>Step</label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={last}
          value={at}
          onChange={(e) => {
            setPlaying(false);
            setIndex(Number(e.target.value));
          }}
          aria-valuetext={`step ${step}`}
          data-testid="playback-slider"
        />
        <output htmlFor={sliderId} className="mono" data-testid="playback-step">
          step {step}
        </output>
      </div>
      <SmallMultiples families={families} marker={step} label="Run curves" />
      <div className="playback-grid">
        <div>
          <h3>Values at step {step}</h3>
          <NumberTable label={`Metric values at step ${step}`} rows={values} />
        </div>
        <div>
          <h3>Routing at step {snapshot?.step ?? '—'}</h3>
          <RoutingPanel snapshots={snapshots} step={step} figures={valuesAt(groups.routing, step)} />
        </div>
      </div>
    </div>
  );
}
