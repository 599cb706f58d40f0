// One assembly run, live: progress, the task / load-balancing / z losses, the routing heatmap as
// it changes, per-expert load, entropy and dropped tokens; at the end, the comparison against
// the baselines, a removal's before and after, and the removal of an expert.
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { groupMetrics } from '../components/metric-groups.ts';
import { metricFamilies } from '../components/metric-families.ts';
import { SmallMultiples } from '../components/SmallMultiples.tsx';
import { RunProgress } from '../components/RunProgress.tsx';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { useRunLive } from '../hooks/use-run-live.ts';
import { AssemblyResults } from './AssemblyResults.tsx';
import { RemovalResults } from './RemovalResults.tsx';
import { RemoveExpertPanel } from './RemoveExpertPanel.tsx';
import { RoutingPanel } from './RoutingPanel.tsx';

export function AssemblyRunView({ id, onRemoveStarted }: { id: number; onRemoveStarted?: (id: number) => void }) {
  const live = useRunLive(id);
  const result = live.detail?.result?.type === 'assembly' ? live.detail.result : null;
  const groups = groupMetrics(live.series);
  const figures = groups.routing.map((s): [string, number | null] => [s.label, s.points[s.points.length - 1]?.value ?? null]);
  return (
    <Card
      title={
        <>
          Assembly run {id}
          {live.detail && <span className="subtitle"> · {live.detail.datasets.join(', ')}</span>}
        </>
      }
      className="run-view"
      actions={<a href={hrefTo('history', id)}>Details</a>}
    >
      <ErrorNotice error={live.error} title="Cannot load this run" />
      <RunProgress id={id} status={live.status} progress={live.progress} error={live.detail?.error} />
      <div className="charts">
        <LineChart title="Losses (task, load balance, z)" series={groups.losses} />
        <LineChart title="Router entropy and dropped tokens" series={groups.routing} />
      </div>
      <h3>Routing (domain × expert)</h3>
      <RoutingPanel snapshots={live.snapshots} step={null} figures={figures} />
      {groups.quality.length > 0 && (
        <>
          <h3>Metrics by domain</h3>
          <SmallMultiples families={metricFamilies(groups.quality)} label="Metrics by domain" />
        </>
      )}
      {result && (
        <>
          <RemovalResults result={result} parent={live.detail?.parent ?? null} />
          <h3>Test results against baselines</h3>
          <AssemblyResults result={result} />
        </>
      )}
      {live.detail && onRemoveStarted && <RemoveExpertPanel run={live.detail} onStarted={onRemoveStarted} />}
    </Card>
  );
}
