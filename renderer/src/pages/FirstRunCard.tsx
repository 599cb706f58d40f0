// The first run, without a manual: where the workbench keeps its data, the built-in samples in
// one click, and the whole demo (the same pipeline as `moe-workbench demo`) with its progress,
// ending on the assembly's results table.
import { useId, useRef, useState } from 'react';
import type { DemoRow, DemoState } from '../../../shared/contract.ts';
import { useApiContext } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatNumber } from '../format.ts';
import { useAction } from '../hooks/use-action.ts';
import { useEvent } from '../hooks/use-event.ts';
import { useQuery } from '../hooks/use-query.ts';

const PHASE_TITLES: Record<NonNullable<DemoState['phase']>, string> = {
  register: 'Register the four samples',
  experts: 'Train one expert per domain',
  assembly: 'Assemble the experts (top-2 gate)',
  export: 'Export the assembly',
  predict: 'Predict from the export',
  replay: 'Replay the assembly',
  done: 'Done',
};
const PHASES = Object.keys(PHASE_TITLES) as NonNullable<DemoState['phase']>[];

export const DEMO_COLUMNS = ['domain', 'metric', 'expert', 'assembly', 'uniform', 'dense', 'retention', 'purity'] as const satisfies readonly (keyof DemoRow)[];

function DemoProgress({ state }: { state: DemoState }) {
  const at = state.phase ? PHASES.indexOf(state.phase) : -1;
  return (
    <div className="demo-progress" aria-label="Demo progress">
      <ol className="demo-phases">
        {PHASES.filter((p) => p !== 'done').map((p, i) => (
          <li key={p} data-state={state.status === 'completed' || i < at ? 'done' : i === at ? (state.status === 'failed' ? 'failed' : 'current') : 'todo'}>
            {PHASE_TITLES[p]}
          </li>
        ))}
      </ol>
      <p role="status" className="muted">
        {state.message}
      </p>
      {state.runs.length > 0 && (
        <ul className="demo-runs">
          {state.runs.map((r) => {
            const fraction = r.epochs > 0 && r.steps > 0 ? Math.min(1, Math.max(0, (r.epoch - 1 + r.step / r.steps) / r.epochs)) : null;
            return (
              <li key={r.id}>
                <span className="demo-run-label">
                  run {r.id} · {r.label}
                </span>
                <StatusBadge status={r.status} />
                {r.status === 'running' && fraction !== null && (
                  <progress className="progress-bar" max={1} value={fraction} aria-label={`Demo run ${r.id} progress`}>
                    {Math.round(fraction * 100)}%
                  </progress>
                )}
                {r.status === 'running' && r.epochs > 0 && <span className="muted">epoch {r.epoch}/{r.epochs}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function DemoResults({ state }: { state: DemoState }) {
  const result = state.result!;
  return (
    <div className="demo-results">
      <div className="table-scroll">
        <table className="data-table" aria-label="Demo results">
          <thead>
            <tr>
              {DEMO_COLUMNS.map((c) => (
                <th key={c} scope="col" className={c === 'domain' || c === 'metric' ? undefined : 'num'}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.summary.map((row) => (
              <tr key={`${row.domain}/${row.metric}`}>
                {DEMO_COLUMNS.map((c) => {
                  const v = row[c];
                  return typeof v === 'string' ? (
                    <td key={c} data-column={c}>
                      {v}
                    </td>
                  ) : (
                    <td key={c} data-column={c} className="num" data-value={v === null ? '' : String(v)}>
                      {formatNumber(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Assembly <a href={`#/history/${result.assembly}`}>run {result.assembly}</a> from experts {result.experts.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <a href={`#/history/${id}`}>run {id}</a>
          </span>
        ))}
        . Exported to <span className="mono">{result.export}</span> (predictions match the app: {result.predictions.every((p) => p.same_as_app) ? 'yes' : 'no'}). Replay run {result.replay.id}{' '}
        {result.replay.reproduced ? 'reproduced the assembly' : `did not reproduce it (max abs diff ${result.replay.max_abs_diff})`}.
      </p>
    </div>
  );
}

export function FirstRunCard({ onDatasetsChanged }: { onDatasetsChanged: () => void }) {
  const { client, info, mode } = useApiContext();
  const samples = useAction();
  const demo = useAction();
  const [added, setAdded] = useState<string[] | null>(null);
  const initial = useQuery(() => client.call('demo.status', {}), [client]);
  const [live, setLive] = useState<DemoState | null>(null);
  const [epochs, setEpochs] = useState('');
  const epochsId = useId();
  const state = live ?? initial.data ?? null;

  const lastStep = useRef('');
  useEvent('demo.progress', (next) => {
    setLive(next);
    // The demo registers the samples and starts runs: the lists on the page follow, once per
    // phase (progress events come several times a second while runs train).
    const step = `${next.status}/${next.phase ?? ''}`;
    if (step !== lastStep.current) {
      lastStep.current = step;
      onDatasetsChanged();
    }
  });

  const running = state?.status === 'running';
  return (
    <Card title="Start here">
      <p>
        Everything the workbench keeps (the experiment store, registered datasets, trained models) is in its home:{' '}
        <span className="mono wrap" data-testid="workbench-home">
          {info?.home ?? '…'}
        </span>
        {mode === 'desktop' && <> (File › Open Workbench Home in File Manager).</>}
      </p>
      <p>Try the workbench on the built-in samples: one per kind of domain (tagged sentences, spam or ham messages, texture images, user–item ratings).</p>
      <div className="form-actions">
        <button
          type="button"
          disabled={samples.busy || running}
          onClick={() =>
            void samples.run(async () => {
              const { datasets } = await client.call('samples.add', {});
              setAdded(datasets.map((d) => d.name));
              onDatasetsChanged();
            })
          }
        >
          {samples.busy ? 'Adding…' : 'Add the built-in samples'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={demo.busy || running}
          onClick={() => void demo.run(async () => setLive(await client.call('demo.start', epochs.trim() ? { epochs: Number(epochs) } : {})))}
        >
          {running ? 'The demo is running…' : 'Run the demo'}
        </button>
        <div className="field inline-field">
          <label htmlFor={epochsId}>Epochs per expert</label>
          <input id={epochsId} type="number" min={1} step={1} value={epochs} placeholder="default" onChange={(e) => setEpochs(e.target.value)} disabled={running} />
        </div>
      </div>
      <p className="hint">The demo trains four experts in parallel, assembles them with a learned gate, evaluates the assembly against each expert and two baselines, exports it, predicts from the export and replays it: about a minute on a laptop.</p>
      {added && (
        <p className="notice notice-ok" role="status">
          Registered {added.length} built-in samples: {added.join(', ')}.
        </p>
      )}
      <ErrorNotice error={samples.error} title="The samples were not added" />
      <ErrorNotice error={demo.error ?? initial.error} title="The demo did not start" />
      {state && state.status !== 'idle' && <DemoProgress state={state} />}
      {state?.status === 'failed' && (
        <p className="notice notice-error" role="alert">
          The demo failed: {state.error}
        </p>
      )}
      {state?.status === 'completed' && state.result && <DemoResults state={state} />}
    </Card>
  );
}
