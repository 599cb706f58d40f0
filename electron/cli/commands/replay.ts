import type { Command } from 'commander';
import { intOption, runCommand } from '../context.ts';
import { waitForRuns } from './train.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .argument('<id>', 'run id', intOption('run id'))
    .option('--use-current-data', 'replay on the current dataset versions when the recorded ones changed')
    .description('re-run a stored run with its config, seed and dataset versions, and compare')
    .action((id: number, opts: { useCurrentData?: boolean }, command: Command) =>
      runCommand(command, async (ctx) => {
        const { id: replayId } = await ctx.client.call('runs.replay', { id, useCurrentData: opts.useCurrentData });
        await waitForRuns(ctx, [replayId], () => `replay of ${id}`);
        const verdict = await ctx.client.call('runs.replayVerdict', { id: replayId });
        if (!verdict.reproduced) process.exitCode = 1;
        ctx.print(verdict, () =>
          `replay ${verdict.id} of run ${verdict.replay_of}: ${verdict.reproduced ? 'reproduced' : 'NOT reproduced'} (max abs diff ${verdict.max_abs_diff}, ${verdict.backend_same ? 'same backend' : 'different backend'})`,
        );
      }),
    );
}
