// Experts: train one per dataset, watch the active ones live, open any past one.
import { useState } from 'react';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { ExpertRunView } from './ExpertRunView.tsx';
import { TrainExpertsForm } from './TrainExpertsForm.tsx';

export function ExpertsPage() {
  const client = useClient();
  const datasets = useQuery(() => client.call('datasets.list', {}), [client]);
  const runs = useRuns({ kind: 'expert' });
  const [watching, setWatching] = useState<number[]>([]);
  const [selected, setSelected] = useState<number | null>(null);

  const active = (runs.data ?? []).filter((r) => r.status === 'running' || r.status === 'queued').map((r) => r.id);
  // Runs started here stay in view after they finish, so their final numbers can be read.
  const shown = [...new Set([...watching, ...active, ...(selected !== null ? [selected] : [])])].sort((a, b) => b - a);

  return (
    <div className="page">
      <h1>Experts</h1>
      <Card title="Train experts">
        <ErrorNotice error={datasets.error} title="Cannot list datasets" />
        <TrainExpertsForm
          datasets={datasets.data ?? []}
          onStarted={(ids) => {
            setWatching((old) => [...new Set([...ids, ...old])]);
            runs.reload();
          }}
        />
      </Card>
      {shown.map((id) => (
        <ExpertRunView key={id} id={id} onResumed={(newId) => setWatching((old) => [newId, ...old])} />
      ))}
      <Card title="Expert runs" actions={<button type="button" onClick={runs.reload}>Refresh</button>}>
        <ErrorNotice error={runs.error} title="Cannot list runs" />
        {runs.data && runs.data.length === 0 && <p className="muted">No expert runs yet.</p>}
        {runs.data && runs.data.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" aria-label="Expert runs">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Status</th>
                  <th scope="col">Latest</th>
                  <th scope="col">Backend</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.data.map((r) => (
                  <tr key={r.id}>
                    <td className="num">{r.id}</td>
                    <td>{r.datasets.join(', ')}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="mono small">
                      {Object.entries(r.latest)
                        .slice(0, 3)
                        .map(([k, v]) => `${k} ${formatNumber(v, 3)}`)
                        .join(' · ') || '—'}
                    </td>
                    <td>{r.backend}</td>
                    <td>{formatDate(r.createdAt)}</td>
                    <td>
                      <button type="button" onClick={() => setSelected(selected === r.id ? null : r.id)} aria-pressed={selected === r.id}>
                        {selected === r.id ? 'Hide' : 'Show'} run {r.id}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
