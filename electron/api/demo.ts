// `demo`: the whole pipeline on the built-in samples (register four datasets, train four experts
// in parallel, assemble them, export, predict from the export, replay the assembly, the replay
// training while the export and predictions run) as one
// function over the API client. The CLI's `moe-workbench demo` and the UI's "Run the demo" both
// run it, so the two print the same results for the same seed.
import type { ApiClient } from '../../shared/client.ts';
import { ApiError, type DemoResult, type DemoRow, type RunDetail } from '../../shared/contract.ts';
import type { AssemblyRunResult } from '../../shared/run-results.ts';
import type { DemoPhase } from './demo-session.ts';
import { sampleRequests } from './samples.ts';
import { join } from 'node:path';

export const DEMO_DEFAULT_SEED = 42;

export interface DemoOptions {
  seed: number;
  /** Expert epochs; the expert config's default when absent. */
  epochs?: number;
  samplesDir?: string;
}

export interface DemoHost {
  client: ApiClient;
  /** Waits until every run has ended and answers their details (in the order of `ids`). */
  wait(ids: number[], label: (id: number) => string): Promise<RunDetail[]>;
  /** A phase begins (with the runs it started, where it starts any). */
  phase?(phase: DemoPhase, message: string, runs?: { id: number; label: string }[]): void;
}

async function timed<T>(phases: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = (performance.now() - t0) / 1000;
  }
}

/** Picks one sample input per task to check the export's predictions against the app's. */
function sampleInput(kind: string, preview: Record<string, unknown>[]) {
  const first = preview[0] ?? {};
  if (kind === 'syntax') return { text: (first.tokens as string[] | undefined)?.join(' ') ?? 'the cat sat' };
  if (kind === 'semantics') return { text: String(first.text ?? 'hello') };
  if (kind === 'texture') return { pixels: String(first.pixels) };
  return { user: String(first.user ?? 'u1'), item: String(first.item ?? 'i1') };
}

/**
 * The results table: per domain and metric, the assembly against its expert and the baselines.
 * Retention is the engine's, on the domain's selection metric (its first), so on that row only.
 */
export function summaryRows(datasets: readonly string[], r: AssemblyRunResult): DemoRow[] {
  return datasets.flatMap((name) =>
    Object.keys(r.metrics.test[name] ?? {}).map((metric, i) => {
      const get = (m: AssemblyRunResult['baselines']['expert']) => m[name]?.[metric] ?? null;
      return {
        domain: name, metric, expert: get(r.baselines.expert), assembly: get(r.metrics.test), uniform: get(r.baselines.uniform), dense: get(r.baselines.dense),
        retention: i === 0 ? (r.retention?.[name] ?? null) : null, purity: r.routing.purity[name] ?? null,
      };
    }),
  );
}

export async function runDemo(host: DemoHost, options: DemoOptions): Promise<DemoResult> {
  const { client } = host;
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const info = await client.call('info', {});

  host.phase?.('register', 'Registering the four built-in samples');
  const datasets = await timed(phases, 'register', async () => {
    const out = [];
    for (const req of sampleRequests(options.samplesDir)) out.push((await client.call('datasets.add', req)).dataset);
    return out;
  });
  if (datasets.length !== 4) throw new ApiError('failed', `expected 4 built-in samples, found ${datasets.length}`);

  const experts = await timed(phases, 'experts', async () => {
    const ids: number[] = [];
    for (const d of datasets) ids.push((await client.call('runs.trainExpert', { dataset: d.name, epochs: options.epochs, seed: options.seed })).id);
    const label = (id: number) => datasets[ids.indexOf(id)]?.name ?? String(id);
    host.phase?.('experts', `Training ${ids.length} experts: ${datasets.map((d) => d.name).join(', ')}`, ids.map((id) => ({ id, label: label(id) })));
    return host.wait(ids, label);
  });
  const failed = experts.find((r) => r.status !== 'completed');
  if (failed) throw new ApiError('failed', `expert run ${failed.id} ${failed.status}: ${failed.error ?? ''}`);

  const [assembly] = await timed(phases, 'assembly', async () => {
    const { id } = await client.call('runs.assemble', { experts: experts.map((r) => r.id), top_k: 2, seed: options.seed });
    host.phase?.('assembly', `Assembling the experts (run ${id})`, [{ id, label: 'assembly' }]);
    return host.wait([id], () => 'assembly');
  });
  if (!assembly || assembly.status !== 'completed' || assembly.result?.type !== 'assembly') throw new ApiError('failed', `assembly run ${assembly?.id} ${assembly?.status}: ${assembly?.error ?? (assembly?.result?.type === 'unreadable' ? assembly.result.reason : 'no result')}`);
  const assembled = assembly.result;

  // The replay needs only the stored assembly: it trains while the export and the predictions are
  // checked (its seconds count from its start, so the phases overlap there).
  const replayStart = performance.now();
  const replay = await client.call('runs.replay', { id: assembly.id });

  const { exported, predictions } = await (async () => {
    const exportDir = join(info.home, 'exports', `demo-assembly-${assembly.id}`);
    host.phase?.('export', `Exporting the assembly to ${exportDir}`);
    const exported = await timed(phases, 'export', () => client.call('runs.export', { id: assembly.id, dir: exportDir, force: true }));

    host.phase?.('predict', 'Predicting from the export and from the app');
    const predictions = await timed(phases, 'predict', async () => {
      const { loadBundle, predict, disposeBundle } = await import('../engine/bundle/index.ts');
      const { toModelInput } = await import('./handlers/predict.ts');
      const bundle = await loadBundle(exported.dir);
      try {
        const out = [];
        for (const d of datasets) {
          const input = sampleInput(d.kind, (await client.call('datasets.show', { name: d.name })).preview);
          const fromExport = predict(bundle, d.name, await toModelInput(input));
          const fromApp = await client.call('predict', { id: assembly.id, task: d.name, input });
          out.push({ task: d.name, prediction: fromExport.prediction, same_as_app: JSON.stringify(fromExport.prediction) === JSON.stringify(fromApp.prediction) });
        }
        return out;
      } finally {
        disposeBundle(bundle);
      }
    });
    return { exported, predictions };
  })().catch(async (error: unknown) => {
    // Nothing will wait for the replay: stop it rather than leave it training.
    await client.call('runs.cancel', { id: replay.id }).catch(() => undefined);
    throw error;
  });

  host.phase?.('replay', `Replaying the assembly (run ${replay.id})`, [{ id: replay.id, label: 'replay' }]);
  await host.wait([replay.id], () => 'replay');
  const verdict = await client.call('runs.replayVerdict', { id: replay.id });
  phases.replay = (performance.now() - replayStart) / 1000;
  phases.total = (performance.now() - t0) / 1000;

  return {
    backend: info.backend,
    experts: experts.map((r) => r.id),
    assembly: assembly.id,
    export: exported.dir,
    replay: verdict,
    predictions,
    summary: summaryRows(datasets.map((d) => d.name), assembled),
    seconds: phases,
  };
}
