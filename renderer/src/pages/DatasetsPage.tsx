// Datasets: register new ones, list what is registered, open one for its details.
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../format.ts';
import { navigate } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';
import { AddDatasetForm } from './AddDatasetForm.tsx';
import { DatasetDetailView } from './DatasetDetailView.tsx';

export function DatasetsPage({ focus }: { focus: string | null }) {
  const client = useClient();
  const list = useQuery(() => client.call('datasets.list', {}), [client]);
  const selected = focus && focus !== 'add' ? focus : null;

  return (
    <div className="page">
      <h1>Datasets</h1>
      <Card title="Add a dataset">
        <AddDatasetForm
          autoFocus={focus === 'add'}
          onAdded={(result) => {
            list.reload();
            navigate('datasets', result.dataset.name);
          }}
        />
      </Card>
      <Card title="Registered datasets" actions={<button type="button" onClick={list.reload}>Refresh</button>}>
        <ErrorNotice error={list.error} title="Cannot list datasets" />
        {list.data && list.data.length === 0 && <p className="muted">No datasets yet: add one above (built-in samples are under resources/samples).</p>}
        {list.data && list.data.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" aria-label="Registered datasets">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Format</th>
                  <th scope="col" className="num">Train</th>
                  <th scope="col" className="num">Val</th>
                  <th scope="col" className="num">Test</th>
                  <th scope="col" className="num">Labels</th>
                  <th scope="col">Warnings</th>
                  <th scope="col">Version</th>
                  <th scope="col">Registered</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((d) => (
                  <tr key={d.name} aria-selected={d.name === selected}>
                    <td>
                      <a href={`#/datasets/${encodeURIComponent(d.name)}`}>{d.name}</a>
                    </td>
                    <td>{d.kind}</td>
                    <td>{d.format}</td>
                    <td className="num">{d.counts.train}</td>
                    <td className="num">{d.counts.validation}</td>
                    <td className="num">{d.counts.test}</td>
                    <td className="num">{d.labels.length || '—'}</td>
                    <td>{d.warnings.length ? <span className="badge warn" title={d.warnings.join('\n')}>{d.warnings.length}</span> : '—'}</td>
                    <td className="mono">{d.version.slice(0, 12)}</td>
                    <td>{formatDate(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {selected && (
        <DatasetDetailView
          key={selected}
          name={selected}
          onClose={() => navigate('datasets')}
          onRemoved={() => {
            list.reload();
            navigate('datasets');
          }}
        />
      )}
    </div>
  );
}
