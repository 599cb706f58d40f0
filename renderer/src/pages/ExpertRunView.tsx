// One expert run, live while it trains: progress, loss and validation curves, then its test
// metrics and, for classification, the confusion matrix.
import { Card } from '../components/Card.tsx';
import { ConfusionMatrix, readConfusion } from '../components/ConfusionMatrix.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { flattenNumbers } from '../components/flatten.ts';
import { LineChart } from '../components/LineChart.tsx';
import { groupMetrics } from '../components/metric-groups.ts';
import { NumberTable } from '../components/NumberTable.tsx';
import { RunProgress } from '../components/RunProgress.tsx';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { useRunLive } from '../hooks/use-run-live.ts';

export function ExpertRunView({ id, onResumed }: { id: number; onResumed?: (id: number) => void }) {
  const live = useRunLive(id);
  const groups = groupMetrics(live.series);
  const result = live.detail?.result ?? null;
  const confusion = readConfusion(result?.confusion);
  const finals = flattenNumbers(result, '', new Set(['confusion']));
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
      {finals.length > 0 && (
        <div className="columns">
          <div>
            <h3>Results</h3>
            <NumberTable rows={finals} label={`Results of run ${id}`} />
          </div>
          {confusion && (
            <div>
              <h3>Confusion matrix</h3>
              <ConfusionMatrix confusion={confusion} />
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
