// One run in full: what it was (config, seed, backend, versions, data), where it came from and
// what came of it (lineage), its results, and what can be done with it: play it back, replay,
// compare, export.
import { Card } from '../components/Card.tsx';
import { RouterBenchRunConfig } from '../../../shared/contract.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { KeyValueList } from '../components/KeyValueList.tsx';
import { RunProgress } from '../components/RunProgress.tsx';
import { elapsedSeconds, formatDate, formatDuration, formatNumber } from '../format.ts';
import { hrefTo, navigate } from '../hooks/use-hash-route.ts';
import { useRunLive } from '../hooks/use-run-live.ts';
import { ComparePanel } from './ComparePanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { PlaybackView } from './PlaybackView.tsx';
import { ReplayPanel } from './ReplayPanel.tsx';
import { RouterBenchView } from './RouterBenchView.tsx';
import { RunResults } from './RunResults.tsx';

function RunLink({ id }: { id: number }) {
  return <a href={hrefTo('history', id)}>run {id}</a>;
}

export function RunDetailsPage({ id, panel }: { id: number; panel: string | null }) {
  const live = useRunLive(id);
  const run = live.detail;
  // A router bench's parent run opens its live comparison, running or not.
  const isBench = run !== null && RouterBenchRunConfig.safeParse(run.config).success;

  return (
    <div className="page">
      <p>
        <a href={hrefTo('history')}>← History</a>
      </p>
      <h1>
        Run {id}
        {run && <span className="subtitle"> · {run.kind} · {run.datasets.join(', ')}</span>}
      </h1>
      <ErrorNotice error={live.error} title={`Cannot load run ${id}`} />
      {run && (
        <>
          <Card title="Run">
            <RunProgress id={id} status={live.status} progress={live.progress} error={run.error} onResumed={(newId) => navigate('history', newId)} />
            <div className="columns">
              <KeyValueList
                label="Run facts"
                entries={[
                  ['name', run.name],
                  ['kind', run.kind],
                  ['seed', run.seed],
                  ['backend', run.backend],
                  ['created', formatDate(run.createdAt)],
                  ['started', formatDate(run.startedAt)],
                  ['finished', formatDate(run.finishedAt)],
                  ['duration', formatDuration(elapsedSeconds(run.startedAt, run.finishedAt))],
                ]}
              />
              <KeyValueList label="Versions" entries={Object.entries(run.versions)} />
              <div>
                <h3>Lineage</h3>
                <ul className="lineage" aria-label="Lineage">
                  <li>parent: {run.parent !== null ? <RunLink id={run.parent} /> : '—'}</li>
                  <li>replay of: {run.replayOf !== null ? <RunLink id={run.replayOf} /> : '—'}</li>
                  <li>
                    children:{' '}
                    {run.children.length === 0
                      ? '—'
                      : run.children.map((c, i) => (
                          <span key={c}>
                            {i > 0 && ', '}
                            <RunLink id={c} />
                          </span>
                        ))}
                  </li>
                </ul>
                <h3>Data</h3>
                <ul className="plain-list" aria-label="Dataset versions">
                  {run.datasetVersions.map((d) => (
                    <li key={d.name}>
                      <a href={`#/datasets/${encodeURIComponent(d.name)}`}>{d.name}</a> <span className="mono muted">{d.version.slice(0, 12)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </Card>
          {isBench && <RouterBenchView id={id} />}
          {run.result && (
            <Card title="Results">
              <RunResults run={run} />
            </Card>
          )}
          <Card title="Playback">
            <PlaybackView series={live.series} snapshots={live.snapshots} />
          </Card>
          <div className="columns">
            <Card title="Replay">
              <ReplayPanel id={id} replayOf={run.replayOf} onReplayStarted={live.reload} />
            </Card>
            <Card title="Export">
              <ExportPanel id={id} autoFocus={panel === 'export'} />
            </Card>
          </div>
          <Card title="Compare">
            <ComparePanel id={id} />
          </Card>
          <Card title="Config">
            <pre className="config-json" tabIndex={0} aria-label="Run config">
              {JSON.stringify(run.config, null, 2)}
            </pre>
          </Card>
          {run.artifacts.length > 0 && (
            <Card title="Artifacts">
              <table className="data-table compact" aria-label="Artifacts">
                <thead>
                  <tr>
                    <th scope="col">kind</th>
                    <th scope="col">path</th>
                    <th scope="col" className="num">
                      bytes
                    </th>
                    <th scope="col">sha256</th>
                  </tr>
                </thead>
                <tbody>
                  {run.artifacts.map((a) => (
                    <tr key={a.path}>
                      <td>{a.kind}</td>
                      <td className="mono">{a.path}</td>
                      <td className="num">{formatNumber(a.bytes)}</td>
                      <td className="mono">{a.sha256.slice(0, 16)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          )}
        </>
      )}
    </div>
  );
}
