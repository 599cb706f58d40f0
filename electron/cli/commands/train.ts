import type { Command } from 'commander';
import { ApiError, type RunDetail } from '../../../shared/contract.ts';
import { intOption, numberOption, runCommand, type CommandContext } from '../context.ts';
import { showProgress } from '../progress.ts';
import { runJson, runText } from '../run-json.ts';

/** Waits for runs to end, with progress bars; Ctrl-C cancels them (their last checkpoints stay). */
export async function waitForRuns(ctx: CommandContext, ids: number[], label: (id: number) => string): Promise<RunDetail[]> {
  const stop = showProgress(ctx.client, !ctx.json, label);
  const onInterrupt = () => ids.forEach((id) => ctx.workbench.training.cancel(id));
  process.once('SIGINT', onInterrupt);
  try {
    await Promise.all(ids.map((id) => ctx.workbench.training.wait(id)));
  } finally {
    process.off('SIGINT', onInterrupt);
    stop();
  }
  const runs = await Promise.all(ids.map((id) => ctx.client.call('runs.show', { id })));
  if (runs.some((r) => r.status !== 'completed')) process.exitCode = 1;
  // A failed run's reason, once, where errors go (the run's record still prints on stdout).
  if (!ctx.json) for (const r of runs) if (r.status === 'failed') process.stderr.write(`error: run ${r.id} failed: ${r.error ?? 'no reason recorded'}\n`);
  return runs;
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('train models');
  train
    .command('expert')
    .description('train one expert per dataset (several train in parallel)')
    .requiredOption('--dataset <name...>', 'dataset name(s)')
    .option('--epochs <n>', 'most epochs', intOption('--epochs'))
    .option('--seed <s>', 'seed', intOption('--seed'))
    .option('--batch-size <n>', 'samples per step', intOption('--batch-size'))
    .option('--learning-rate <lr>', 'Adam learning rate', numberOption('--learning-rate'))
    .option('--patience <n>', 'epochs without validation improvement before stopping', intOption('--patience'))
    .option('--anchor', 'train one shared encoder per modality first (on these datasets, or on --anchor-datasets), then every expert against it, frozen')
    .option('--anchor-datasets <name...>', 'with --anchor: the datasets the anchors are trained on (default: the --dataset ones)')
    .option('--anchor-run <id>', 'train against the frozen encoder of this existing anchor run', intOption('--anchor-run'))
    .option('--tune', 'search learning rate, width and epochs on the validation split (trials are child runs; the best becomes the expert)')
    .option('--budget <seconds>', 'with --tune: wall-clock seconds for all trials of one dataset', numberOption('--budget'), 300)
    .option('--trials <n>', 'with --tune: most trials, the defaults included (a fixed count gives the same choice on any machine)', intOption('--trials'), 8)
    .action(
      (
        opts: { dataset: string[]; epochs?: number; seed?: number; batchSize?: number; learningRate?: number; patience?: number; anchor?: boolean; anchorDatasets?: string[]; anchorRun?: number; tune?: boolean; budget: number; trials: number },
        command: Command,
      ) =>
      runCommand(command, async (ctx) => {
        const ids: number[] = [];
        const settings = { epochs: opts.epochs, seed: opts.seed, batch_size: opts.batchSize, learning_rate: opts.learningRate, patience: opts.patience };
        if ((opts.anchor || opts.anchorRun !== undefined) && opts.tune) throw new ApiError('invalid_input', '--tune does not combine with --anchor or --anchor-run yet: tune, then train against the anchor with the chosen settings');
        if (opts.anchor && opts.anchorRun !== undefined) throw new ApiError('invalid_input', '--anchor trains new anchors, --anchor-run uses an existing one: choose one');
        if (opts.anchorDatasets && !opts.anchor) throw new ApiError('invalid_input', '--anchor-datasets needs --anchor');
        if (opts.anchor) {
          const started = await ctx.client.call('runs.trainAnchored', { experts: opts.dataset.map((dataset) => ({ dataset, ...settings })), anchor_datasets: opts.anchorDatasets ?? null });
          const all = [...started.anchors, ...started.experts];
          const label = (id: number) => (started.anchors.includes(id) ? `anchor ${id}` : (opts.dataset[started.experts.indexOf(id)] ?? String(id)));
          const runs = await waitForRuns(ctx, all, label);
          const docs = runs.map(runJson);
          ctx.print({ anchors: docs.slice(0, started.anchors.length), experts: docs.slice(started.anchors.length) }, () => runs.map(runText).join('\n'));
          return;
        }
        for (const dataset of opts.dataset) {
          const config = { dataset, ...settings, ...(opts.anchorRun !== undefined ? { anchor: opts.anchorRun } : {}) };
          const { id } = opts.tune
            ? await ctx.client.call('runs.tuneExpert', { config, budget_s: opts.budget, trials: opts.trials })
            : await ctx.client.call('runs.trainExpert', config);
          ids.push(id);
        }
        const runs = await waitForRuns(ctx, ids, (id) => opts.dataset[ids.indexOf(id)] ?? String(id));
        const docs = runs.map(runJson);
        ctx.print(docs.length === 1 ? docs[0] : docs, () => runs.map(runText).join('\n'));
      }),
    );
}
