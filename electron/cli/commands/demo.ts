// `demo`: the whole pipeline on the built-in samples, end to end, with a summary table. The
// pipeline itself is electron/api/demo.ts, the same one the desktop UI's "Run the demo" runs.
import type { Command } from 'commander';
import { DEMO_DEFAULT_SEED, runDemo } from '../../api/demo.ts';
import { intOption, runCommand, type CommandContext } from '../context.ts';
import { formatNumber, table } from '../table.ts';
import { waitForRuns } from './train.ts';

function say(ctx: CommandContext, line: string): void {
  if (!ctx.json) process.stderr.write(`${line}\n`);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('register the built-in samples, train four experts in parallel, assemble, evaluate, export, predict and replay')
    .option('--epochs <n>', 'expert epochs (default: the expert config default)', intOption('--epochs'))
    .option('--seed <s>', 'seed', intOption('--seed'), DEMO_DEFAULT_SEED)
    .action((opts: { epochs?: number; seed: number }, command: Command) =>
      runCommand(command, async (ctx) => {
        const info = await ctx.client.call('info', {});
        say(ctx, `backend ${info.backend}, home ${info.home}`);
        const doc = await runDemo(
          {
            client: ctx.client,
            wait: (ids, label) => waitForRuns(ctx, ids, label),
            phase: (_phase, message) => say(ctx, message),
          },
          { seed: opts.seed, epochs: opts.epochs },
        );
        const rows = doc.summary;
        const verdict = doc.replay;
        ctx.print(doc, () =>
          [
            '',
            table(['domain', 'metric', 'expert', 'assembly', 'uniform', 'dense', 'retention', 'purity'], rows.map((r) => [r.domain, r.metric, r.expert, r.assembly, r.uniform, r.dense, r.retention, r.purity])),
            '',
            `export: ${doc.export} (predictions match the app: ${doc.predictions.every((p) => p.same_as_app) ? 'yes' : 'NO'})`,
            `replay: run ${verdict.id} ${verdict.reproduced ? 'reproduced' : 'NOT reproduced'} (max abs diff ${verdict.max_abs_diff})`,
            `time: ${Object.entries(doc.seconds).map(([k, v]) => `${k} ${formatNumber(v)} s`).join(', ')}`,
          ].join('\n'),
        );
        if (!verdict.reproduced || doc.predictions.some((p) => !p.same_as_app)) process.exitCode = 1;
      }),
    );
}
