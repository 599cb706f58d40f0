// `demo`: the whole pipeline on the built-in samples, end to end, with a summary table.
import type { Command } from 'commander';
import { join } from 'node:path';
import { LOWER_IS_BETTER } from '../../../shared/domain.ts';
import { sampleRequests } from '../../api/samples.ts';
import { intOption, runCommand, type CommandContext } from '../context.ts';
import { formatNumber, table } from '../table.ts';
import { waitForRuns } from './train.ts';
import { ApiError } from '../../../shared/contract.ts';

type Metrics = Record<string, Record<string, number>>;

async function timed<T>(phases: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = (performance.now() - t0) / 1000;
  }
}

function say(ctx: CommandContext, line: string): void {
  if (!ctx.json) process.stderr.write(`${line}\n`);
}

/** Picks one sample input per task to check the export's predictions against the app's. */
function sampleInput(kind: string, preview: Record<string, unknown>[]) {
  const first = preview[0] ?? {};
  if (kind === 'syntax') return { text: (first.tokens as string[] | undefined)?.join(' ') ?? 'the cat sat' };
  if (kind === 'semantics') return { text: String(first.text ?? 'hello') };
  if (kind === 'texture') return { pixels: String(first.pixels) };
  return { user: String(first.user ?? 'u1'), item: String(first.item ?? 'i1') };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('register the built-in samples, train four experts in parallel, assemble, evaluate, export, predict and replay')
    .option('--epochs <n>', 'expert epochs (default: the expert config default)', intOption('--epochs'))
    .option('--seed <s>', 'seed', intOption('--seed'), 42)
    .action((opts: { epochs?: number; seed: number }, command: Command) =>
      runCommand(command, async (ctx) => {
        const { client } = ctx;
        const phases: Record<string, number> = {};
        const t0 = performance.now();
        const info = await client.call('info', {});
        say(ctx, `backend ${info.backend}, home ${info.home}`);

        const datasets = await timed(phases, 'register', async () => {
          const out = [];
          for (const req of sampleRequests()) out.push((await client.call('datasets.add', req)).dataset);
          return out;
        });
        if (datasets.length !== 4) throw new ApiError('failed', `expected 4 built-in samples, found ${datasets.length}`);
        say(ctx, `registered ${datasets.map((d) => `${d.name} (${d.kind})`).join(', ')}`);

        const experts = await timed(phases, 'experts', async () => {
          const ids: number[] = [];
          for (const d of datasets) ids.push((await client.call('runs.trainExpert', { dataset: d.name, epochs: opts.epochs, seed: opts.seed })).id);
          return waitForRuns(ctx, ids, (id) => datasets[ids.indexOf(id)]?.name ?? String(id));
        });
        const failed = experts.find((r) => r.status !== 'completed');
        if (failed) throw new ApiError('failed', `expert run ${failed.id} ${failed.status}: ${failed.error ?? ''}`);

        const [assembly] = await timed(phases, 'assembly', async () => {
          const { id } = await client.call('runs.assemble', { experts: experts.map((r) => r.id), top_k: 2, seed: opts.seed });
          return waitForRuns(ctx, [id], () => 'assembly');
        });
        if (assembly.status !== 'completed') throw new ApiError('failed', `assembly run ${assembly.id} ${assembly.status}: ${assembly.error ?? ''}`);

        const exportDir = join(info.home, 'exports', `demo-assembly-${assembly.id}`);
        const exported = await timed(phases, 'export', () => client.call('runs.export', { id: assembly.id, dir: exportDir, force: true }));

        const predictions = await timed(phases, 'predict', async () => {
          const { loadBundle, predict, disposeBundle } = await import('../../engine/bundle/index.ts');
          const { toModelInput } = await import('../../api/handlers/predict.ts');
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

        const verdict = await timed(phases, 'replay', async () => {
          const { id } = await client.call('runs.replay', { id: assembly.id });
          await waitForRuns(ctx, [id], () => 'replay');
          return client.call('runs.replayVerdict', { id });
        });
        phases.total = (performance.now() - t0) / 1000;

        const result = assembly.result as { metrics: { test: Metrics }; baselines: { expert: Metrics; uniform: Metrics; dense: Metrics }; routing: { purity: Record<string, number> } };
        const rows = datasets.flatMap((d) =>
          Object.keys(result.metrics.test[d.name] ?? {}).map((metric) => {
            const get = (m: Metrics) => m[d.name]?.[metric] ?? null;
            const expert = get(result.baselines.expert);
            const mixed = get(result.metrics.test);
            const retention = expert === null || mixed === null ? null : LOWER_IS_BETTER.has(metric) ? expert / mixed : mixed / expert;
            return { domain: d.name, metric, expert, assembly: mixed, uniform: get(result.baselines.uniform), dense: get(result.baselines.dense), retention, purity: result.routing.purity[d.name] ?? null };
          }),
        );
        const doc = { backend: info.backend, experts: experts.map((r) => r.id), assembly: assembly.id, export: exported.dir, replay: verdict, predictions, summary: rows, seconds: phases };
        ctx.print(doc, () =>
          [
            '',
            table(['domain', 'metric', 'expert', 'assembly', 'uniform', 'dense', 'retention', 'purity'], rows.map((r) => [r.domain, r.metric, r.expert, r.assembly, r.uniform, r.dense, r.retention, r.purity])),
            '',
            `export: ${exported.dir} (predictions match the app: ${predictions.every((p) => p.same_as_app) ? 'yes' : 'NO'})`,
            `replay: run ${verdict.id} ${verdict.reproduced ? 'reproduced' : 'NOT reproduced'} (max abs diff ${verdict.max_abs_diff})`,
            `time: ${Object.entries(phases).map(([k, v]) => `${k} ${formatNumber(v)} s`).join(', ')}`,
          ].join('\n'),
        );
        if (!verdict.reproduced || predictions.some((p) => !p.same_as_app)) process.exitCode = 1;
      }),
    );
}
