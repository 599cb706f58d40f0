// Replay: run a stored run again with its config, seed and dataset versions, wait for it, and
// say whether the metrics were reproduced.
import { useEffect, useId, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract.ts';
import type { RunStatus } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatNumber } from '../format.ts';
import { useEvent } from '../hooks/use-event.ts';
import { hrefTo } from '../hooks/use-hash-route.ts';
import { isFinished } from '../hooks/use-run-live.ts';

type Verdict = ResponseOf<'runs.replayVerdict'>;

export function VerdictView({ verdict }: { verdict: Verdict }) {
  return (
    <div className={`notice ${verdict.reproduced ? 'notice-ok' : 'notice-warn'}`} role="status" data-testid="replay-verdict">
      <strong>{verdict.reproduced ? 'Reproduced' : 'Not reproduced'}</strong>: replay run <a href={hrefTo('history', verdict.id)}>{verdict.id}</a> of run {verdict.replay_of} ({verdict.status}); largest metric
      difference {formatNumber(verdict.max_abs_diff)}; {verdict.backend_same ? 'same backend' : 'a different backend (differences are expected)'}.
    </div>
  );
}

export function ReplayPanel({ id, replayOf, onReplayStarted }: { id: number; replayOf: number | null; onReplayStarted?: () => void }) {
  const client = useClient();
  const checkboxId = useId();
  const [useCurrentData, setUseCurrentData] = useState(false);
  const [replayId, setReplayId] = useState<number | null>(null);
  const [replayStatus, setReplayStatus] = useState<RunStatus | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEvent('run.status', (event) => {
    if (event.id === replayId) setReplayStatus(event.status);
  });

  // This run is itself a replay: its verdict is known already.
  useEffect(() => {
    if (replayOf === null) return;
    client.call('runs.replayVerdict', { id }).then(setVerdict, () => undefined);
  }, [client, id, replayOf]);

  // The replay's status may have changed before the event listener saw its id: ask once.
  useEffect(() => {
    if (replayId === null) return;
    client.call('runs.show', { id: replayId }).then((run) => setReplayStatus((s) => s ?? run.status), setError);
  }, [client, replayId]);

  useEffect(() => {
    if (replayId === null || !isFinished(replayStatus)) return;
    client.call('runs.replayVerdict', { id: replayId }).then(setVerdict, setError);
  }, [client, replayId, replayStatus]);

  async function replay() {
    setError(null);
    setVerdict(null);
    setReplayStatus(null);
    try {
      setReplayId((await client.call('runs.replay', useCurrentData ? { id, useCurrentData } : { id })).id);
      onReplayStarted?.();
    } catch (failure) {
      setError(failure);
    }
  }

  const running = replayId !== null && !isFinished(replayStatus);
  return (
    <div className="form">
      <div className="form-actions">
        <button type="button" onClick={() => void replay()} disabled={running}>
          Replay run {id}
        </button>
        <span className="checkbox-field">
          <input id={checkboxId} type="checkbox" checked={useCurrentData} onChange={(e) => setUseCurrentData(e.target.checked)} />
          <label htmlFor={checkboxId}>Use the current data where a dataset changed</label>
        </span>
      </div>
      {replayId !== null && (
        <p role="status">
          Replay run <a href={hrefTo('history', replayId)}>{replayId}</a> {replayStatus ? <StatusBadge status={replayStatus} /> : 'starting…'}
        </p>
      )}
      {verdict && <VerdictView verdict={verdict} />}
      <ErrorNotice error={error} title="Replay failed" />
    </div>
  );
}
