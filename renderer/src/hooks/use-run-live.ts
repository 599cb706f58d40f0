// Everything known about one run, kept current: its record, metric history and routing
// snapshots from the store, then the live events on top. Events are gathered in a buffer and
// applied a few times a second, so a fast training loop never floods the page with renders.
// Curves always come from the store (`runs.metrics`, asked again at most once a second while
// progress arrives): the store's keys are the names, the events only say that there is more.
import { useEffect, useRef, useState } from 'react';
import type { ResponseOf, RoutingSnapshot } from '../../../shared/contract.ts';
import { latestPerPhase, type Progress } from './progress-phases.ts';
import type { RunStatus } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import type { SeriesPoints } from '../components/chart-data.ts';

type Detail = ResponseOf<'runs.show'>;

export interface RunLive {
  detail: Detail | null;
  status: RunStatus | null;
  series: SeriesPoints[];
  snapshots: RoutingSnapshot[];
  /** The latest progress of each phase, in the order the phases began (an assembly's router fine-tuning and its dense baseline can run side by side). */
  progress: Progress[];
  error: unknown;
  reload: () => void;
}

const FLUSH_MS = 250;
const FINISHED: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

export function isFinished(status: RunStatus | null): boolean {
  return status !== null && FINISHED.has(status);
}

const METRICS_REFRESH_MS = 1000;

function toSeries(metrics: ResponseOf<'runs.metrics'>): SeriesPoints[] {
  return metrics.map((m) => ({ label: m.key, points: [...m.points].sort((a, b) => a.step - b.step) }));
}

export function useRunLive(id: number | null): RunLive {
  const client = useClient();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [status, setStatus] = useState<RunStatus | null>(null);
  const [series, setSeries] = useState<SeriesPoints[]>([]);
  const [snapshots, setSnapshots] = useState<RoutingSnapshot[]>([]);
  const [progress, setProgress] = useState<Progress[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const pending = useRef<{ progress: Progress[]; routing: RoutingSnapshot[]; status: RunStatus | null }>({ progress: [], routing: [], status: null });

  const shownId = useRef<number | null>(null);

  useEffect(() => {
    // A reload of the same run keeps what is on screen until the fresh answer replaces it.
    if (shownId.current !== id) {
      shownId.current = id;
      setDetail(null);
      setStatus(null);
      setSeries([]);
      setSnapshots([]);
      setProgress([]);
    }
    setError(null);
    pending.current = { progress: [], routing: [], status: null };
    if (id === null) return;
    let current = true;
    let lastMetricsFetch = 0;
    let fetchingMetrics = false;

    const refreshMetrics = () => {
      if (fetchingMetrics || Date.now() - lastMetricsFetch < METRICS_REFRESH_MS) return;
      fetchingMetrics = true;
      lastMetricsFetch = Date.now();
      client
        .call('runs.metrics', { id })
        .then((metrics) => current && setSeries(toSeries(metrics)), () => undefined)
        .finally(() => (fetchingMetrics = false));
    };

    const flush = () => {
      const batch = pending.current;
      pending.current = { progress: [], routing: [], status: null };
      if (batch.progress.length > 0) {
        setProgress((old) => latestPerPhase(old, batch.progress));
        refreshMetrics();
      }
      if (batch.routing.length > 0) {
        setSnapshots((old) => {
          const fresh = batch.routing.filter((r) => !old.some((o) => o.step === r.step && o.split === r.split));
          return [...old, ...fresh].sort((a, b) => a.step - b.step);
        });
      }
      if (batch.status) {
        setStatus(batch.status);
        // The store has the authoritative history and the result once a run ends.
        if (FINISHED.has(batch.status)) setGeneration((g) => g + 1);
      }
    };
    const timer = setInterval(flush, FLUSH_MS);

    const offProgress = client.on('run.progress', (p) => p.id === id && pending.current.progress.push(p));
    const offRouting = client.on('run.routing', (r) => {
      if (r.id !== id) return;
      const { id: _id, ...snapshot } = r;
      pending.current.routing.push(snapshot);
    });
    const offStatus = client.on('run.status', (s) => {
      if (s.id === id) pending.current.status = s.status;
    });

    (async () => {
      try {
        const shown = await client.call('runs.show', { id });
        const [metrics, routing] = await Promise.all([
          client.call('runs.metrics', { id }),
          shown.kind === 'expert' ? Promise.resolve([]) : client.call('runs.routing', { id }).catch(() => []),
        ]);
        if (!current) return;
        setDetail(shown);
        setStatus(shown.status);
        lastMetricsFetch = Date.now();
        setSeries(toSeries(metrics));
        // Snapshots that arrived by event while loading are kept (the store may not have them yet).
        setSnapshots((live) => {
          const stored = new Set(routing.map((r) => `${r.step}/${r.split}`));
          return [...routing, ...live.filter((l) => !stored.has(`${l.step}/${l.split}`))].sort((a, b) => a.step - b.step);
        });
      } catch (failure) {
        if (current) setError(failure);
      }
    })();

    return () => {
      current = false;
      clearInterval(timer);
      offProgress();
      offRouting();
      offStatus();
    };
  }, [client, id, generation]);

  return { detail, status, series, snapshots, progress, error, reload: () => setGeneration((g) => g + 1) };
}
