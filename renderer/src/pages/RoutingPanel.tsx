// The routing picture at one step (or the latest): heatmap, per-expert load, and the health
// figures (entropy, dropped tokens) next to it. Snapshots are logged per split (training
// batches, validation, test); the user picks which one to look at.
import { useId, useState } from 'react';
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import { LoadBars } from '../components/LoadBars.tsx';
import { NumberTable } from '../components/NumberTable.tsx';
import { RoutingHeatmap } from '../components/RoutingHeatmap.tsx';
import { snapshotAt, totalDropped, type RoutingMeasure } from '../components/routing-stats.ts';

export function RoutingPanel({ snapshots, step, figures }: { snapshots: RoutingSnapshot[]; step: number | null; figures: [string, number | null][] }) {
  const splitId = useId();
  const [measure, setMeasure] = useState<RoutingMeasure>('top1');
  const [split, setSplit] = useState('');
  const splits = [...new Set(snapshots.map((s) => s.split))];
  const candidates = split ? snapshots.filter((s) => s.split === split) : snapshots;
  const snapshot = step === null ? (candidates[candidates.length - 1] ?? null) : snapshotAt(candidates, step);
  if (!snapshot) return <p className="muted">No routing statistics logged yet.</p>;
  return (
    <div className="routing-panel">
      <div className="routing-heatmap-col">
        {splits.length > 1 && (
          <div className="inline-field split-choice">
            <label htmlFor={splitId}>Split</label>
            <select id={splitId} value={split} onChange={(e) => setSplit(e.target.value)}>
              <option value="">{step === null ? 'latest logged' : 'any'}</option>
              {splits.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
        )}
        <RoutingHeatmap snapshot={snapshot} measure={measure} onMeasureChange={setMeasure} />
      </div>
      <div className="routing-side">
        <h3>Load per expert</h3>
        <LoadBars snapshot={snapshot} />
        <h3>Routing health</h3>
        <NumberTable label="Routing health" rows={[...figures, ['dropped tokens (snapshot)', totalDropped(snapshot)]]} />
      </div>
    </div>
  );
}
