// One expert run, live while it trains: progress, loss and validation curves, then its test
// metrics and, for classification, the confusion matrix.
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { groupMetrics } from '../components/metric-groups.ts';
import { RunProgress } from '../components/RunProgress.tsx';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { useRunLive } from '../hooks/use-run-live.ts';
import { ExpertResults } from './ExpertResults.tsx';

export function ExpertRunView({ id, onResumed }: { id: number; onResumed?: (id: number) => void }) {
  const live = useRunLive(id);
  const groups = groupMetrics(live.series);
  const result = live.detail?.result ?? null;
  return (
    <Card
      title={
        <>
          Expert run {id}
          {live.detail && <span className="subtitle"> · {live.detail.datasets.join(', ')}</span>}
        </>
      }
      className="run-view"
      actions={<a href={hrefTo('history', id)}>Details</a>}
    >
      <ErrorNotice error={live.error} title="Cannot load this run" />
      <RunProgress id={id} status={live.status} progress={live.progress} error={live.detail?.error} onResumed={onResumed} />
      <div className="charts">
        <LineChart title="Loss" series={groups.losses} />
        <LineChart title="Validation metrics" series={groups.quality} />
      </div>
      {result?.type === 'expert' && <ExpertResults result={result} label={`Results of run ${id}`} />}
    </Card>
  );
}
