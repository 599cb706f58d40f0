// One router bench, live: each method's child run and its progress, then per domain a table of
// every method (selection metric, retention of the own expert, purity, entropy, the own expert's
// load, build seconds, distance from oracle) with the best deployable method marked.
import { useState } from 'react';
import type { RouterBench } from '../../../shared/contract.ts';
import type { RouterBenchMethod } from '../../../shared/run-results.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatNumber, formatPercent } from '../format.ts';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { useEvent } from '../hooks/use-event.ts';
import { latestPerPhase, type Progress } from '../hooks/progress-phases.ts';
import { useQuery } from '../hooks/use-query.ts';


/** A running child's phases (router fine-tuning and the dense baseline can run side by side), else its status. */
function progressText(row: RouterBenchMethod, phases: readonly Progress[] | undefined): string {
  if (row.status !== 'running' || !phases || phases.length === 0) return row.status;
  return phases.map((p) => `${p.phase} ${p.epoch}/${p.epochs}${p.steps > 0 ? ` · step ${p.step}/${p.steps}` : ''}`).join('; ');
}

function signed(value: number | undefined): string {
  if (value === undefined) return '—';
  return `${value > 0 ? '+' : ''}${formatNumber(value)}`;
}

function DomainTable({ bench, dataset, expertIndex }: { bench: RouterBench; dataset: string; expertIndex: number }) {
  const sel = bench.selection[dataset]!;
  const best = bench.best[dataset];
  return (
    <div className="table-scroll">
      <h3>
        {dataset} <span className="subtitle">({sel.higher_is_better ? 'higher' : 'lower'} {sel.metric} is better)</span>
      </h3>
      <table className="data-table compact" aria-label={`Router bench on ${dataset}`}>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col" className="num">
              {sel.metric}
            </th>
            <th scope="col" className="num" title="of the domain's own expert, on this metric (the engine's)">
              Retention
            </th>
            <th scope="col" className="num" title="share of the domain's tokens whose top-1 expert is its own">
              Purity
            </th>
            <th scope="col" className="num" title="mean router entropy over all test tokens (nats)">
              Entropy
            </th>
            <th scope="col" className="num" title="share of all test tokens whose top-1 is this domain's expert">
              Load
            </th>
            <th scope="col" className="num">
              Build s
            </th>
            <th scope="col" className="num" title="this method's value minus oracle's">
              vs oracle
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(bench.methods).map(([method, row]) => {
            const isBest = best === method;
            return (
              <tr key={method} data-method={method} data-best={isBest ? 'true' : undefined}>
                <th scope="row" className={isBest ? 'best-cell' : undefined}>
                  {method}
                  {isBest && <span aria-label="best method"> ★ best</span>}
                </th>
                <td className={isBest ? 'num best-cell' : 'num'}>{formatNumber(row.metrics[dataset]?.[sel.metric])}</td>
                <td className="num">{formatPercent(row.retention[dataset])}</td>
                <td className="num">{formatPercent(row.purity[dataset])}</td>
                <td className="num">{formatNumber(row.entropy, 3)}</td>
                <td className="num">{formatPercent(expertIndex >= 0 ? row.load[expertIndex] : undefined)}</td>
                <td className="num">{formatNumber(row.build_s, 3)}</td>
                <td className="num">{method === 'oracle' ? 'reference' : signed(row.from_oracle[dataset])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function RouterBenchView({ id }: { id: number }) {
  const client = useClient();
  const bench = useQuery(() => client.call('routerBench.show', { id }), [client, id]);
  // Each expert run's dataset, to find a domain's own expert in the router order (bench.experts).
  const runs = useQuery(() => client.call('runs.list', {}), [client]);
  const [progress, setProgress] = useState<Record<number, Progress[]>>({});
  const children = new Set(Object.values(bench.data?.methods ?? {}).flatMap((m) => (m.run === null ? [] : [m.run])));

  useEvent('run.status', (s) => {
    if (s.id === id || children.has(s.id)) bench.reload();
  });
  useEvent('run.progress', (p) => {
    if (children.has(p.id)) setProgress((old) => ({ ...old, [p.id]: latestPerPhase(old[p.id] ?? [], [p]) }));
  });

  const data = bench.data;
  const datasetOf = new Map((runs.data ?? []).map((r) => [r.id, r.datasets[0]]));
  const order = (data?.experts ?? []).map((e) => datasetOf.get(e));
  return (
    <Card
      title={
        <>
          Router bench {id}
          {data && (
            <span className="subtitle">
              {' '}
              · experts {data.experts.join(', ')} <StatusBadge status={data.status} />
            </span>
          )}
        </>
      }
      className="run-view"
      actions={<a href={hrefTo('history', id)}>Details</a>}
    >
      <ErrorNotice error={bench.error} title={`Cannot load router bench ${id}`} />
      {data && (
        <>
          <table className="data-table compact" aria-label="Router bench methods">
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(data.methods).map(([method, row]) => (
                <tr key={method} data-method={method} data-status={row.status}>
                  <th scope="row">{method}</th>
                  <td>{row.run !== null ? <a href={hrefTo('history', row.run)}>run {row.run}</a> : '—'}</td>
                  <td>{progressText(row, row.run !== null ? progress[row.run] : undefined)}</td>
                  <td className="small">{row.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {Object.keys(data.selection).length === 0 ? (
            <p className="muted">The per-domain comparison appears as the methods complete.</p>
          ) : (
            Object.keys(data.selection).map((dataset) => <DomainTable key={dataset} bench={data} dataset={dataset} expertIndex={order.indexOf(dataset)} />)
          )}
        </>
      )}
    </Card>
  );
}
