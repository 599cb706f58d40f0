import type { Command } from 'commander';
import { ROUTER_INITS, ROUTER_METHODS, TRAINABLE_SETS, type RouterMethod } from '../../../shared/config.ts';
import { ApiError } from '../../../shared/contract.ts';
import { intOption, numberOption, runCommand } from '../context.ts';
import { runJson, runText } from '../run-json.ts';
import { waitForRuns } from './train.ts';

function idList(value: string): number[] {
  const ids = value.split(',').map((s) => s.trim());
  if (ids.some((s) => !/^\d+$/.test(s))) throw new ApiError('invalid_request', `expected run ids like 1,2,3, got "${value}"`);
  return ids.map(Number);
}

export function registerAssemble(program: Command): void {
  program
    .command('assemble')
    .description('mix expert runs into one sparse MoE with a learned gate, fine-tune and evaluate it')
    .option('--experts <ids>', 'expert run ids, comma-separated', idList)
    .option('--from <id>', 'grow this assembly (with --add)', intOption('--from'))
    .option('--add <ids>', 'expert run ids to add to --from', idList)
    .option('--remove <expert>', 'remove this expert (its run id or its dataset name) from --from: no retraining')
    .option('--top-k <k>', 'experts per token', intOption('--top-k'))
    .option('--capacity <factor>', 'capacity factor (overflow tokens pass through the residual)', numberOption('--capacity'))
    .option('--dropless', 'no capacity limit (default)')
    .option('--router <method>', `how the router is built: ${ROUTER_METHODS.join(' | ')} (default joint; only joint fine-tunes)`)
    .option('--ridge-lambda <lambda>', 'closed_form router: ridge penalty (default 1)', numberOption('--ridge-lambda'))
    .option('--router-init <init>', ROUTER_INITS.join(' | '))
    .option('--train <set>', TRAINABLE_SETS.join(' | '))
    .option('--epochs <n>', 'joint fine-tuning epochs', intOption('--epochs'))
    .option('--seed <s>', 'seed', intOption('--seed'))
    .action((opts: { experts?: number[]; from?: number; add?: number[]; remove?: string; topK?: number; capacity?: number; dropless?: boolean; router?: string; ridgeLambda?: number; routerInit?: string; train?: string; epochs?: number; seed?: number }, command: Command) =>
      runCommand(command, async (ctx) => {
        if (opts.remove !== undefined) {
          if (opts.from === undefined || opts.add || opts.experts) throw new ApiError('invalid_request', '--remove EXPERT goes with --from ID alone (no --add, no --experts)');
          const parent = await ctx.client.call('runs.show', { id: opts.from });
          const parentExperts = parent.experts.map((e) => e.run);
          let removed: number | undefined;
          if (/^\d+$/.test(opts.remove)) removed = Number(opts.remove);
          else {
            removed = parent.experts.find((e) => e.dataset === opts.remove)?.run;
            if (removed === undefined) throw new ApiError('invalid_input', `assembly ${opts.from} has no expert for dataset ${opts.remove} (its datasets: ${parent.datasets.join(', ')})`);
          }
          const { id } = await ctx.client.call('runs.assemble', { experts: parentExperts.filter((e) => e !== removed), from: opts.from, remove: removed, seed: opts.seed });
          const [run] = await waitForRuns(ctx, [id], () => 'assembly');
          const before = run.result?.type === 'assembly' ? run.result.before : undefined;
          ctx.print({ ...runJson(run), before: before ?? {} }, () => runText(run));
          return;
        }
        if (opts.from !== undefined && !opts.add) throw new ApiError('invalid_request', '--from needs --add ID (or --remove EXPERT)');
        if (opts.from === undefined && !opts.experts) throw new ApiError('invalid_request', 'give --experts ID,ID,... (or --from ID --add ID)');
        if (opts.capacity !== undefined && opts.dropless) throw new ApiError('invalid_request', '--capacity and --dropless exclude each other');
        if (opts.router !== undefined && !(ROUTER_METHODS as readonly string[]).includes(opts.router)) throw new ApiError('invalid_request', `--router must be one of ${ROUTER_METHODS.join(', ')}, got "${opts.router}"`);
        const growing = opts.from !== undefined;
        const { id } = await ctx.client.call('runs.assemble', {
          experts: growing ? opts.add! : opts.experts!,
          from: opts.from ?? null,
          top_k: opts.topK ?? (growing ? undefined : Math.min(2, opts.experts!.length)),
          capacity_factor: opts.capacity ?? null,
          router: { method: (opts.router ?? 'joint') as RouterMethod, ridge_lambda: opts.ridgeLambda ?? 1 },
          router_init: opts.routerInit as (typeof ROUTER_INITS)[number] | undefined,
          train: (opts.train ?? (growing ? 'gate' : undefined)) as (typeof TRAINABLE_SETS)[number] | undefined,
          epochs: opts.epochs,
          seed: opts.seed,
        });
        const [run] = await waitForRuns(ctx, [id], () => 'assembly');
        ctx.print(runJson(run), () => runText(run));
      }),
    );
}
