// Experts: train one per dataset, watch the active ones live, open any past one.
import { useState } from 'react';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { RunListCard } from '../components/RunListCard.tsx';
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
      <RunListCard
        title="Expert runs"
        runs={runs}
        empty="No expert runs yet."
        columns={['dataset', 'status', 'latest', 'backend', 'created']}
        action={(r) => (
          <button type="button" onClick={() => setSelected(selected === r.id ? null : r.id)} aria-pressed={selected === r.id}>
            {selected === r.id ? 'Hide' : 'Show'} run {r.id}
          </button>
        )}
      />
    </div>
  );
}
