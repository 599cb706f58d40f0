import type { Command } from 'commander';
import { ApiError } from '../../../shared/contract.ts';
import { parseGrid, type Sweep } from '../../../shared/explore.ts';
import { intOption, numberOption, runCommand, type CommandContext } from '../context.ts';

function sweepText(s: Sweep): string {
  const paths = s.axes.map((a) => a.path);
  const datasets = Object.keys(s.selection);
  const lines = [`sweep ${s.id} ${s.status}: ${s.trials.length} trials`];
  lines.push(['trial', 'run', 'status', ...paths, ...datasets.map((d) => `${d} ${s.selection[d].metric}`)].join('\t'));
  for (const t of s.trials) {
    lines.push([t.index, t.id ?? '-', t.status, ...paths.map((p) => JSON.stringify(t.config[p])), ...datasets.map((d) => t.metrics[d]?.[s.selection[d].metric]?.toFixed(4) ?? '-')].join('\t'));
  }
  for (const d of datasets) lines.push(`best for ${d} (${s.selection[d].higher_is_better ? 'max' : 'min'} ${s.selection[d].metric}): trial ${s.best_index[d]} (run ${s.best[d]})`);
  return lines.join('\n');
}

async function follow(ctx: CommandContext, id: number): Promise<void> {
  const off = ctx.json
    ? () => {}
    : ctx.client.on('run.status', (e) => {
        if (['completed', 'failed', 'cancelled'].includes(e.status)) process.stderr.write(`run ${e.id} ${e.status}${e.error ? `: ${e.error}` : ''}\n`);
      });
  try {
    await ctx.workbench.sweeps.wait(id);
  } finally {
    off();
  }
  const sweep = await ctx.client.call('sweeps.show', { id });
  if (sweep.status !== 'completed' || sweep.trials.some((t) => t.status === 'failed')) process.exitCode = 1;
  ctx.print(sweep, () => sweepText(sweep));
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('assemble the same experts under many settings (grid or random search), each trial a child run of one sweep run')
    .option('--experts <ids>', 'expert run ids, comma-separated')
    .option('--grid <spec>', 'FIELD=V1,V2,... (repeat); FIELD is any assembly config path (top_k, capacity_factor, router.method, ...); with --random also FIELD=MIN..MAX', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--random <n>', 'N random draws instead of the full grid', intOption('--random'))
    .option('--budget <seconds>', 'start no trial after this many seconds', numberOption('--budget'))
    .option('--seed <s>', 'seed of the draws and of every trial', intOption('--seed'))
    .option('--resume <id>', 'finish an interrupted sweep (its completed trials are kept)', intOption('--resume'))
    .action((opts: { experts?: string; grid: string[]; random?: number; budget?: number; seed?: number; resume?: number }, command: Command) =>
      runCommand(command, async (ctx) => {
        if (opts.resume !== undefined) {
          await ctx.client.call('sweeps.resume', { id: opts.resume });
          return follow(ctx, opts.resume);
        }
        if (!opts.experts) throw new ApiError('invalid_request', 'give --experts ID,ID,... (or --resume ID)');
        const experts = opts.experts.split(',').map((s) => s.trim());
        if (experts.some((s) => !/^\d+$/.test(s))) throw new ApiError('invalid_request', `expected run ids like 1,2,3, got "${opts.experts}"`);
        if (opts.grid.length === 0) throw new ApiError('invalid_request', 'give at least one --grid FIELD=V1,V2');
        const random = opts.random !== undefined;
        const { id } = await ctx.client.call('sweeps.start', {
          experts: experts.map(Number),
          axes: opts.grid.map((g) => {
            try {
              return parseGrid(g, random);
            } catch (error) {
              throw new ApiError('invalid_request', (error as Error).message);
            }
          }),
          random: opts.random ?? null,
          budget_s: opts.budget ?? null,
          seed: opts.seed,
        });
        if (!ctx.json) process.stderr.write(`sweep ${id} started\n`);
        await follow(ctx, id);
      }),
    );
}
