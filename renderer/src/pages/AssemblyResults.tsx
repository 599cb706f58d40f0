// The final comparison of an assembly: per domain and metric, the assembly against the domain's
// own expert, a uniform mixture and a dense multi-task model, with the engine's retention (on
// each domain's selection metric) and routing purity.
import type { AssemblyRunResult } from '../../../shared/run-results.ts';
import { formatNumber, formatPercent } from '../format.ts';

const BASELINES = ['expert', 'uniform', 'dense'] as const;
const BASELINE_TITLES = { expert: 'Own expert', uniform: 'Uniform mix', dense: 'Dense' } as const;

export function AssemblyResults({ result }: { result: AssemblyRunResult }) {
  const rows = Object.entries(result.metrics.test).flatMap(([domain, metrics]) => Object.entries(metrics).map(([metric, value], i) => ({ domain, metric, value, first: i === 0 })));
  if (rows.length === 0) return <p className="muted">This run stored no test metrics.</p>;
  // A removal has no dense baseline: its column is left out rather than shown empty.
  const baselines = BASELINES.filter((b) => Object.keys(result.baselines[b]).length > 0);
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Assembly against baselines on each domain's test split">
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              Assembly
            </th>
            {baselines.map((b) => (
              <th key={b} scope="col" className="num">
                {BASELINE_TITLES[b]}
              </th>
            ))}
            <th scope="col" className="num" title="on the domain's selection metric (its first): assembly / expert, expert / assembly where lower is better">
              Retention
            </th>
            <th scope="col" className="num" title="share of the domain's tokens whose top-1 expert is its own">
              Purity
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ domain, metric, value, first }) => (
            <tr key={`${domain}.${metric}`} data-domain={domain} data-metric={metric}>
              <td>{first ? domain : ''}</td>
              <td>{metric}</td>
              <td className="num strong">{formatNumber(value)}</td>
              {baselines.map((b) => (
                <td key={b} className="num">
                  {formatNumber(result.baselines[b][domain]?.[metric])}
                </td>
              ))}
              {/* Retention and purity are per domain: shown on its first (selection) metric's row. */}
              <td className="num">{first ? formatPercent(result.retention?.[domain]) : ''}</td>
              <td className="num">{first ? formatPercent(result.routing.purity[domain]) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
