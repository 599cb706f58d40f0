// Compare two runs: where their configs differ, their final metrics side by side, and any
// metric's curves overlaid.
import { useId, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import type { SeriesPoints } from '../components/chart-data.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { formatNumber, formatValue } from '../format.ts';
import { useRuns } from '../hooks/use-runs.ts';

interface Compared {
  comparison: ResponseOf<'runs.compare'>;
  curves: { a: ResponseOf<'runs.metrics'>; b: ResponseOf<'runs.metrics'> };
}

export function ComparePanel({ id }: { id: number }) {
  const client = useClient();
  const ids = { other: useId(), metric: useId() };
  const runs = useRuns({});
  const [other, setOther] = useState<number | null>(null);
  const [compared, setCompared] = useState<Compared | null>(null);
  const [metric, setMetric] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function compare() {
    if (other === null) return;
    setError(null);
    try {
      const [comparison, a, b] = await Promise.all([client.call('runs.compare', { a: id, b: other }), client.call('runs.metrics', { id }), client.call('runs.metrics', { id: other })]);
      setCompared({ comparison, curves: { a, b } });
      const shared = a.map((s) => s.key).filter((k) => b.some((s) => s.key === k));
      setMetric(shared.find((k) => /loss/.test(k)) ?? shared[0] ?? '');
    } catch (failure) {
      setError(failure);
    }
  }

  const sharedKeys = compared ? compared.curves.a.map((s) => s.key).filter((k) => compared.curves.b.some((s) => s.key === k)) : [];
  const overlay: SeriesPoints[] = compared && metric
    ? [
        { label: `run ${id}: ${metric}`, points: compared.curves.a.find((s) => s.key === metric)?.points ?? [] },
        { label: `run ${compared.comparison.b}: ${metric}`, points: compared.curves.b.find((s) => s.key === metric)?.points ?? [] },
      ]
    : [];

  return (
    <div className="form">
      <div className="form-actions">
        <label htmlFor={ids.other}>Compare with</label>
        <select id={ids.other} value={other ?? ''} onChange={(e) => setOther(e.target.value === '' ? null : Number(e.target.value))}>
          <option value="">choose a run…</option>
          {(runs.data ?? [])
            .filter((r) => r.id !== id)
            .map((r) => (
              <option key={r.id} value={r.id}>
                run {r.id} · {r.kind} · {r.datasets.join(', ')} · {r.status}
              </option>
            ))}
        </select>
        <button type="button" disabled={other === null} onClick={() => void compare()}>
          Compare
        </button>
      </div>
      <ErrorNotice error={error} title="Cannot compare" />
      {compared && (
        <div className="compare" data-testid="comparison">
          <div className="columns">
            <div>
              <h3>Config differences</h3>
              {compared.comparison.configDiff.length === 0 ? (
                <p className="muted">The configs are identical.</p>
              ) : (
                <table className="data-table compact" aria-label="Config differences">
                  <thead>
                    <tr>
                      <th scope="col">field</th>
                      <th scope="col">run {compared.comparison.a}</th>
                      <th scope="col">run {compared.comparison.b}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {compared.comparison.configDiff.map((d) => (
                      <tr key={d.path}>
                        <td className="mono">{d.path}</td>
                        <td className="mono">{formatValue(d.a)}</td>
                        <td className="mono">{formatValue(d.b)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div>
              <h3>Final metrics</h3>
              <table className="data-table compact" aria-label="Metrics of both runs">
                <thead>
                  <tr>
                    <th scope="col">metric</th>
                    <th scope="col" className="num">
                      run {compared.comparison.a}
                    </th>
                    <th scope="col" className="num">
                      run {compared.comparison.b}
                    </th>
                    <th scope="col" className="num">
                      difference
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {compared.comparison.metrics.map((m) => (
                    <tr key={m.key}>
                      <td className="mono">{m.key}</td>
                      <td className="num">{formatNumber(m.a)}</td>
                      <td className="num">{formatNumber(m.b)}</td>
                      <td className="num">{formatNumber(m.diff)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {sharedKeys.length > 0 && (
            <>
              <div className="form-actions">
                <label htmlFor={ids.metric}>Curve</label>
                <select id={ids.metric} value={metric} onChange={(e) => setMetric(e.target.value)}>
                  {sharedKeys.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </div>
              <LineChart title={`${metric}: both runs`} series={overlay} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
