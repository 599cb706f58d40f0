// Where a run is: status, then per phase epoch and step, throughput and time left, with the actions that
// apply (cancel while it runs, resume after an interruption).
import type { RunStatus } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import { formatDuration, formatNumber } from '../format.ts';
import { useAction } from '../hooks/use-action.ts';
import type { Progress } from '../hooks/progress-phases.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export function RunProgress({ id, status, progress, error, onResumed }: { id: number; status: RunStatus | null; progress: readonly Progress[]; error?: string | null; onResumed?: (newId: number) => void }) {
  const client = useClient();
  const { busy, error: actionError, run: act } = useAction();

  return (
    <div className="run-progress">
      <div className="run-progress-line">
        {status && <StatusBadge status={status} />}
        <span className="spacer" />
        {(status === 'running' || status === 'queued') && (
          <button type="button" className="danger" disabled={busy} onClick={() => void act(async () => void (await client.call('runs.cancel', { id })))}>
            Cancel run {id}
          </button>
        )}
        {status === 'interrupted' && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const resumed = await client.call('runs.resume', { id });
                onResumed?.(resumed.id);
              })
            }
          >
            Resume run {id}
          </button>
        )}
      </div>
      {progress.map((p) => (
        <PhaseProgress key={p.phase} id={id} progress={p} running={status === 'running'} />
      ))}
      {error && <p className="error-text">{error}</p>}
      <ErrorNotice error={actionError} title="The action failed" />
    </div>
  );
}

/** One phase: epoch and step, throughput, time left and its bar while the run is running. */
function PhaseProgress({ id, progress, running }: { id: number; progress: Progress; running: boolean }) {
  const fraction = progress.steps > 0 && progress.epochs > 0 ? (progress.epoch - 1 + progress.step / progress.steps) / progress.epochs : null;
  const clamped = fraction === null ? null : Math.min(1, Math.max(0, fraction));
  return (
    <>
      <div className="run-progress-line">
        <span>
          {progress.phase} · epoch {progress.epoch}/{progress.epochs} · step {progress.step}/{progress.steps}
        </span>
        <span data-testid="samples-per-sec">{formatNumber(progress.samplesPerSec, 3)} samples/s</span>
        {running && <span>ETA {formatDuration(progress.etaSec)}</span>}
      </div>
      {clamped !== null && running && (
        <progress className="progress-bar" max={1} value={clamped} aria-label={`Run ${id} ${progress.phase} progress`}>
          {Math.round(clamped * 100)}%
        </progress>
      )}
    </>
  );
}
