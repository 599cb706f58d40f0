// A finished run's results, by what the run is: an expert's figures, an assembly against its
// baselines (and a removal's before and after), a shared anchor encoder's own metrics, a router bench's comparison, a sweep's best
// trials, an imported model's metrics, or, for a result of unknown form, its numbers and why.
import type { RunDetail } from '../../../shared/contract.ts';
import type { DomainMetrics, RunResult } from '../../../shared/run-results.ts';
import { NumberTable } from '../components/NumberTable.tsx';
import { hrefTo, navigate } from '../hooks/use-hash-route.ts';
import { AssemblyResults } from './AssemblyResults.tsx';
import { ExpertResults } from './ExpertResults.tsx';
import { RemovalResults } from './RemovalResults.tsx';
import { RemoveExpertPanel } from './RemoveExpertPanel.tsx';

function domainRows(metrics: DomainMetrics): [string, number | null][] {
  return Object.entries(metrics).flatMap(([domain, values]) => Object.entries(values).map(([k, v]): [string, number | null] => [`${domain} ${k}`, v]));
}

function Body({ run, result }: { run: RunDetail; result: RunResult }) {
  switch (result.type) {
    case 'expert':
      return <ExpertResults result={result} label="Results" />;
    case 'anchor':
      return (
        <>
          <p className="muted">
            A shared {result.modality} encoder, frozen in the experts trained against it ({run.children.map((c) => `run ${c}`).join(', ') || 'none yet'}). Its own heads' test metrics, for reference:
          </p>
          <NumberTable label="Results" rows={domainRows(result.metrics.test)} />
        </>
      );
    case 'assembly':
      return (
        <>
          <RemovalResults result={result} parent={run.parent} />
          <AssemblyResults result={result} />
          <RemoveExpertPanel run={run} onStarted={(id) => navigate('history', id)} />
        </>
      );
    case 'router-bench':
      // The live table (RouterBenchView) is shown above; this is where to see it beside new runs.
      return (
        <p>
          The comparison of {Object.keys(result.methods).length} router methods is above; it also opens in the <a href={hrefTo('assembly', 'bench', run.id)}>Assembly page</a>.
        </p>
      );
    case 'sweep':
      return (
        <>
          <p>
            Trials and their settings: <a href={hrefTo('sweeps', run.id)}>sweep {run.id}</a>.
          </p>
          <table className="data-table compact" aria-label="Best trial per dataset">
            <thead>
              <tr>
                <th scope="col">dataset</th>
                <th scope="col">selection metric</th>
                <th scope="col">best trial</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(result.best).map(([dataset, trial]) => (
                <tr key={dataset}>
                  <td>{dataset}</td>
                  <td>{result.selection[dataset]?.metric ?? '—'}</td>
                  <td>
                    <a href={hrefTo('history', trial)}>run {trial}</a> (trial {result.best_index[dataset] ?? '—'})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      );
    case 'import':
      return (
        <>
          <p className="muted">
            Imported from run {result.source_run} of another workbench ({result.datasets.map((d) => `${d.name}@${d.version.slice(0, 12)}`).join(', ')}); its test metrics:
          </p>
          <NumberTable label="Results" rows={domainRows(result.test)} />
        </>
      );
    case 'unreadable':
      return (
        <>
          <p className="notice notice-warn">{result.reason}. Its numbers as stored:</p>
          <NumberTable label="Results" rows={result.values} />
        </>
      );
  }
}

export function RunResults({ run }: { run: RunDetail }) {
  if (!run.result) return null;
  return <Body run={run} result={run.result} />;
}
