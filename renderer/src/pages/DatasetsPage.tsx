// Datasets: register new ones (a file or folder dropped anywhere on the page fills the form),
// list what is registered, open one for its details. Until the first run exists, the page starts
// with the first-run card: the built-in samples in one click and the whole demo.
import { useState, type DragEvent } from 'react';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { droppedPath, guessFromPath } from '../components/dropped-path.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../format.ts';
import { navigate } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';
import { AddDatasetForm, type AddPreset } from './AddDatasetForm.tsx';
import { DatasetDetailView } from './DatasetDetailView.tsx';
import { FirstRunCard } from './FirstRunCard.tsx';

function carriesFiles(event: DragEvent): boolean {
  const types = Array.from(event.dataTransfer.types);
  return types.includes('Files') || types.includes('text/uri-list');
}

export function DatasetsPage({ focus }: { focus: string | null }) {
  const client = useClient();
  const list = useQuery(() => client.call('datasets.list', {}), [client]);
  const runs = useQuery(() => client.call('runs.list', {}), [client]);
  const selected = focus && focus !== 'add' ? focus : null;
  const [preset, setPreset] = useState<AddPreset | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropHint, setDropHint] = useState<string | null>(null);
  // Shown on a home without datasets or without runs; once shown it stays for this visit, so
  // the demo's progress and results do not vanish when its first run appears.
  const [startPinned, setStartPinned] = useState(false);
  const fresh = list.data?.length === 0 || runs.data?.length === 0;
  if (fresh && !startPinned) setStartPinned(true);

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const path = droppedPath(event.dataTransfer, window.workbench?.pathForFile);
    if (!path) {
      setDropHint('Could not read a path from what was dropped. In a browser the page cannot see where a file is: type its path as the server sees it.');
      return;
    }
    setDropHint(null);
    setPreset({ path, ...guessFromPath(path), key: Date.now() });
    if (focus) navigate('datasets');
  }

  return (
    <div
      className={`page datasets-page ${dragging ? 'dragging' : ''}`}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <h1>Datasets</h1>
      {(fresh || startPinned) && (
        <FirstRunCard
          onDatasetsChanged={() => {
            list.reload();
            runs.reload();
          }}
        />
      )}
      <Card title="Add a dataset">
        <p className="hint">Drop a file or a folder anywhere on this page to add it.</p>
        {dropHint && (
          <p className="notice notice-warn" role="status">
            {dropHint}
          </p>
        )}
        <AddDatasetForm
          autoFocus={focus === 'add'}
          preset={preset}
          onAdded={(result) => {
            list.reload();
            navigate('datasets', result.dataset.name);
          }}
        />
      </Card>
      <Card title="Registered datasets" actions={<button type="button" onClick={list.reload}>Refresh</button>}>
        <ErrorNotice error={list.error} title="Cannot list datasets" />
        {list.data && list.data.length === 0 && <p className="muted">No datasets yet: add the built-in samples, or add or drop your own above.</p>}
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
