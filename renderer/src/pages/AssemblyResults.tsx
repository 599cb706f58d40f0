// The final comparison of an assembly: per domain and metric, the assembly against the domain's
// own expert, a uniform mixture and a dense multi-task model, with retention and routing purity.
import { LOWER_IS_BETTER } from '../../../shared/domain.ts';
import { asRecord } from '../components/flatten.ts';
import { formatNumber, formatPercent } from '../format.ts';

type Table = Record<string, Record<string, number>>;

function asTable(value: unknown): Table {
  const out: Table = {};
  for (const [domain, metrics] of Object.entries(asRecord(value) ?? {})) {
    const row = asRecord(metrics);
    if (!row) continue;
    out[domain] = Object.fromEntries(Object.entries(row).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }
  return out;
}

const BASELINES = ['expert', 'uniform', 'dense'] as const;

export function AssemblyResults({ result }: { result: Record<string, unknown> }) {
  const test = asTable(asRecord(result.metrics)?.test ?? result.metrics);
  const baselines = asRecord(result.baselines) ?? {};
  const tables = Object.fromEntries(BASELINES.map((b) => [b, asTable(baselines[b])]));
  const purity = asRecord(asRecord(result.routing)?.purity) ?? {};
  const rows = Object.entries(test).flatMap(([domain, metrics]) => Object.entries(metrics).map(([metric, value]) => ({ domain, metric, value })));
  if (rows.length === 0) return <p className="muted">This run stored no test metrics.</p>;
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
            {BASELINES.map((b) => (
              <th key={b} scope="col" className="num">
                {b === 'expert' ? 'Own expert' : b === 'uniform' ? 'Uniform mix' : 'Dense'}
              </th>
            ))}
            <th scope="col" className="num" title="assembly / expert (expert / assembly where lower is better)">
              Retention
            </th>
            <th scope="col" className="num" title="share of the domain's tokens whose top-1 expert is its own">
              Purity
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ domain, metric, value }, i) => {
            const expert = tables.expert?.[domain]?.[metric] ?? null;
            const retention = expert === null || value === 0 || expert === 0 ? null : LOWER_IS_BETTER.has(metric) ? expert / value : value / expert;
            const domainPurity = purity[domain];
            return (
              <tr key={`${domain}.${metric}`}>
                <td>{i === 0 || rows[i - 1]!.domain !== domain ? domain : ''}</td>
                <td>{metric}</td>
                <td className="num strong">{formatNumber(value)}</td>
                {BASELINES.map((b) => (
                  <td key={b} className="num">
                    {formatNumber(tables[b]?.[domain]?.[metric] ?? null)}
                  </td>
                ))}
                <td className="num">{formatPercent(retention)}</td>
                <td className="num">{typeof domainPurity === 'number' ? formatPercent(domainPurity) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
