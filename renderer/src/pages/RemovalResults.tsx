// After an expert was removed from an assembly: every remaining domain's test metrics before
// (the parent assembly, as the engine evaluated it for the removal) and after (this run).
import type { AssemblyRunResult } from '../../../shared/run-results.ts';
import { LOWER_IS_BETTER } from '../../../shared/domain.ts';
import { formatNumber } from '../format.ts';
import { hrefTo } from '../hooks/use-hash-route.ts';

export function RemovalResults({ result, parent }: { result: AssemblyRunResult; parent: number | null }) {
  const before = result.before;
  if (!before || result.removed === undefined) return null;
  const rows = Object.entries(result.metrics.test).flatMap(([domain, metrics]) => Object.entries(metrics).map(([metric, after], i) => ({ domain, metric, after, before: before[domain]?.[metric] ?? null, first: i === 0 })));
  return (
    <>
      <h3>
        Without {result.removed}: before and after{parent !== null && <> (parent <a href={hrefTo('history', parent)}>run {parent}</a>)</>}
      </h3>
      <table className="data-table compact" aria-label={`Metrics before and after removing ${result.removed}`}>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              Before
            </th>
            <th scope="col" className="num">
              After
            </th>
            <th scope="col" className="num" title="after minus before; marked worse or better by the metric's direction">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const change = r.after !== null && r.before !== null ? r.after - r.before : null;
            const worse = change !== null && change !== 0 && (LOWER_IS_BETTER.has(r.metric) ? change > 0 : change < 0);
            return (
              <tr key={`${r.domain}.${r.metric}`} data-domain={r.domain} data-metric={r.metric}>
                <td>{r.first ? r.domain : ''}</td>
                <td>{r.metric}</td>
                <td className="num">{formatNumber(r.before)}</td>
                <td className="num strong">{formatNumber(r.after)}</td>
                <td className={worse ? 'num worse' : 'num'}>{change === null ? '—' : `${change > 0 ? '+' : ''}${formatNumber(change)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
