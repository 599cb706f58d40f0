// Curves compared across 2-8 runs on one step axis: each metric (losses, routing entropy,
// validation and test metrics) in its own small chart with one line per run, the load of each
// expert from the training routing snapshots, and the config fields that differ, beside.
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import type { SeriesPoints } from '../components/chart-data.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import type { Family } from '../components/metric-families.ts';
import { loadFractions } from '../components/routing-stats.ts';
import { SmallMultiples } from '../components/SmallMultiples.tsx';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';

/** One family per metric key, one series per run. */
export function metricOverlay(runs: { id: number; series: { key: string; points: { step: number; value: number | null }[] }[] }[]): Family[] {
  const keys = [...new Set(runs.flatMap((r) => r.series.map((s) => s.key)))].filter((k) => !/samples|eta|time|lr$/i.test(k)).sort((a, b) => Number(!/loss/.test(a)) - Number(!/loss/.test(b)) || Number(!/entropy/.test(a)) - Number(!/entropy/.test(b)) || a.localeCompare(b));
  return keys.map((key) => ({
    title: key,
    series: runs.flatMap((r) => r.series.filter((s) => s.key === key).map((s): SeriesPoints => ({ label: `run ${r.id}`, points: s.points }))),
  }));
}

/** One family per expert: its load (share of top-1 tokens) at each logged training step, one series per run. */
export function loadOverlay(runs: { id: number; snapshots: RoutingSnapshot[] }[]): Family[] {
  const experts = [...new Set(runs.flatMap((r) => r.snapshots.flatMap((s) => s.experts)))];
  return experts.map((expert) => ({
    title: `load · ${expert}`,
    series: runs
      .filter((r) => r.snapshots.some((s) => s.experts.includes(expert)))
      .map((r) => ({ label: `run ${r.id}`, points: r.snapshots.map((s) => ({ step: s.step, value: s.experts.includes(expert) ? (loadFractions(s)[s.experts.indexOf(expert)] ?? null) : null })) })),
  }));
}

export function CompareCurvesPage({ ids }: { ids: number[] }) {
  const client = useClient();
  const key = ids.join(',');
  const data = useQuery(async () => {
    if (ids.length < 2 || ids.length > 8) return null;
    const runs = await Promise.all(ids.map(async (id) => ({ id, series: await client.call('runs.metrics', { id }), snapshots: await client.call('runs.routing', { id, split: 'train' }) })));
    return { runs, diff: await client.call('runs.configDiff', { ids }) };
  }, [client, key]);
  return (
    <div className="page">
      <p>
        <a href={hrefTo('history')}>← History</a>
      </p>
      <h1>Curves compared</h1>
      {(ids.length < 2 || ids.length > 8) && <p className="notice notice-warn">Pick 2 to 8 runs in History.</p>}
      <ErrorNotice error={data.error} title="Cannot load the runs" />
      {data.data && (
        <div className="compare-layout">
          <Card title={`Runs ${ids.join(', ')}`}>
            <SmallMultiples families={metricOverlay(data.data.runs)} label="Metric curves by run" />
            {data.data.runs.some((r) => r.snapshots.length > 0) && (
              <>
                <h3>Expert load while fine-tuning</h3>
                <SmallMultiples families={loadOverlay(data.data.runs)} label="Expert load by run" />
              </>
            )}
          </Card>
          <Card title="Config differences">
            {data.data.diff.length === 0 ? (
              <p className="muted">The configs are the same.</p>
            ) : (
              <table className="data-table compact" aria-label="Config differences">
                <thead>
                  <tr>
                    <th scope="col">field</th>
                    {ids.map((id) => (
                      <th key={id} scope="col">
                        <a href={hrefTo('history', id)}>run {id}</a>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.data.diff.map((d) => (
                    <tr key={d.path}>
                      <th scope="row" className="mono">
                        {d.path}
                      </th>
                      {d.values.map((v, i) => (
                        <td key={i} className="mono">
                          {v}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
