// History: every run, filtered by kind, status and dataset, sorted by any column; a row opens
// the run's details.
import { useId, useState } from 'react';
import type { RunSummary } from '../../../shared/contract.ts';
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { elapsedSeconds, formatDate, formatDuration, formatLatest } from '../format.ts';
import { hrefTo, navigate } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { ImportModelPanel } from './ImportModelPanel.tsx';

type SortKey = 'id' | 'kind' | 'status' | 'datasets' | 'createdAt' | 'duration';

const COLUMNS: { key: SortKey; title: string }[] = [
  { key: 'id', title: 'Run' },
  { key: 'kind', title: 'Kind' },
  { key: 'status', title: 'Status' },
  { key: 'datasets', title: 'Datasets' },
  { key: 'createdAt', title: 'Created' },
  { key: 'duration', title: 'Duration' },
];

function sortValue(run: RunSummary, key: SortKey): string | number {
  if (key === 'datasets') return run.datasets.join(',');
  if (key === 'duration') return elapsedSeconds(run.startedAt, run.finishedAt) ?? -1;
  return run[key];
}

export function HistoryPage({ showImport }: { showImport: boolean }) {
  const client = useClient();
  const ids = { kind: useId(), status: useId(), dataset: useId() };
  const [kind, setKind] = useState<RunKind | ''>('');
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [dataset, setDataset] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'id', descending: true });
  const [picked, setPicked] = useState<number[]>([]);
  const datasets = useQuery(() => client.call('datasets.list', {}), [client]);
  const runs = useRuns({ ...(kind ? { kind } : {}), ...(status ? { status } : {}), ...(dataset ? { dataset } : {}) });

  const sorted = [...(runs.data ?? [])].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.descending ? -order : order;
  });

  return (
    <div className="page">
      <h1>History</h1>
      <Card
        title="Runs"
        actions={
          <>
            <button type="button" disabled={picked.length < 2 || picked.length > 8} onClick={() => navigate('history', 'compare', picked.join(','))} title="Pick 2 to 8 runs">
              Compare curves ({picked.length})
            </button>{' '}
            <button type="button" onClick={runs.reload}>Refresh</button>
          </>
        }
      >
        <div className="filters" role="search" aria-label="Filter runs">
          <div className="field">
            <label htmlFor={ids.kind}>Kind</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as RunKind | '')}>
              <option value="">any</option>
              {RUN_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>Status</label>
            <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as RunStatus | '')}>
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.dataset}>Dataset</label>
            <select id={ids.dataset} value={dataset} onChange={(e) => setDataset(e.target.value)}>
              <option value="">any</option>
              {(datasets.data ?? []).map((d) => (
                <option key={d.name}>{d.name}</option>
              ))}
            </select>
          </div>
        </div>
        <ErrorNotice error={runs.error} title="Cannot list runs" />
        {runs.data && sorted.length === 0 && <p className="muted">No runs match.</p>}
        {sorted.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" aria-label="Runs">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Compare</span>
                  </th>
                  {COLUMNS.map((c) => (
                    <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" className="sort-button" onClick={() => setSort((old) => ({ key: c.key, descending: old.key === c.key ? !old.descending : false }))}>
                        {c.title}
                        <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">Latest metrics</th>
                  <th scope="col">Lineage</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Compare run ${r.id}`}
                        checked={picked.includes(r.id)}
                        disabled={!picked.includes(r.id) && picked.length >= 8}
                        onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r.id].sort((a, b) => a - b) : p.filter((x) => x !== r.id)))}
                      />
                    </td>
                    <td className="num">
                      <a href={hrefTo('history', r.id)} aria-label={`Run ${r.id} details`}>
                        {r.id}
                      </a>
                    </td>
                    <td>{r.kind}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{r.datasets.join(', ')}</td>
                    <td>{formatDate(r.createdAt)}</td>
                    <td className="num">{formatDuration(elapsedSeconds(r.startedAt, r.finishedAt))}</td>
                    <td className="mono small">{formatLatest(r.latest)}</td>
                    <td className="small">
                      {r.parent !== null && <>parent {r.parent} </>}
                      {r.replayOf !== null && <>replay of {r.replayOf}</>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Import a model">
        <ImportModelPanel key={showImport ? 'focus' : 'plain'} />
      </Card>
    </div>
  );
}
