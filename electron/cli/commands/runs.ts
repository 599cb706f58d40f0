import type { Command } from 'commander';
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from '../../../shared/domain.ts';
import { ApiError } from '../../../shared/contract.ts';
import { intOption, runCommand } from '../context.ts';
import { runJson, runText } from '../run-json.ts';
import { table } from '../table.ts';
import { waitForRuns } from './train.ts';

function oneOf<T extends string>(name: string, allowed: readonly T[], value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ApiError('invalid_request', `${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('the experiment history');
  runs
    .command('list')
    .option('--kind <kind>', RUN_KINDS.join(' | '))
    .option('--status <status>', RUN_STATUSES.join(' | '))
    .option('--dataset <name>', 'runs that used this dataset')
    .description('list runs, newest first')
    .action((opts: { kind?: string; status?: string; dataset?: string }, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const all = await client.call('runs.list', { kind: oneOf<RunKind>('--kind', RUN_KINDS, opts.kind), status: oneOf<RunStatus>('--status', RUN_STATUSES, opts.status), dataset: opts.dataset });
        print(all, () =>
          all.length === 0 ? 'no runs yet' : table(['id', 'kind', 'status', 'name', 'seed', 'backend', 'parent', 'replay of', 'created'], all.map((r) => [r.id, r.kind, r.status, r.name, r.seed, r.backend, r.parent, r.replayOf, r.createdAt.slice(0, 19)])),
        );
      }),
    );
  runs
    .command('show')
    .argument('<id>', 'run id', intOption('run id'))
    .description('config, seed, backend, versions, datasets, latest metrics and lineage of a run')
    .action((id: number, _o, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const run = await client.call('runs.show', { id });
        print({ ...run, ...runJson(run) }, () =>
          [runText(run), `  config: ${JSON.stringify(run.config)}`, `  seed ${run.seed}  backend ${run.backend}  versions ${JSON.stringify(run.versions)}`,
            `  datasets: ${run.datasetVersions.map((d) => `${d.name}@${d.version.slice(0, 12)}`).join(', ')}`,
            `  lineage: parent ${run.parent ?? '-'}  replay of ${run.replayOf ?? '-'}  children ${run.children.join(', ') || '-'}`,
            `  latest: ${JSON.stringify(run.latest)}`].join('\n'),
        );
      }),
    );
  runs
    .command('compare')
    .argument('<a>', 'run id', intOption('run id'))
    .argument('<b>', 'run id', intOption('run id'))
    .description('config differences and metric differences of two runs')
    .action((a: number, b: number, _o, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const c = await client.call('runs.compare', { a, b });
        print(c, () =>
          [`config differences (${c.configDiff.length}):`, ...c.configDiff.map((d) => `  ${d.path}: ${JSON.stringify(d.a)} -> ${JSON.stringify(d.b)}`), '',
            table(['metric', `run ${a}`, `run ${b}`, 'diff'], c.metrics.map((m) => [m.key, m.a, m.b, m.diff]))].join('\n'),
        );
      }),
    );
  runs
    .command('resume')
    .argument('<id>', 'run id', intOption('run id'))
    .description('continue an interrupted run from its last checkpoint')
    .action((id: number, _o, command: Command) =>
      runCommand(command, async (ctx) => {
        await ctx.client.call('runs.resume', { id });
        // A sweep resumes its missing trials; its own run ends when they have.
        if (ctx.workbench.sweeps.isSweep(id)) await ctx.workbench.sweeps.wait(id);
        const [run] = await waitForRuns(ctx, [id], () => `run ${id}`);
        ctx.print(runJson(run), () => runText(run));
      }),
    );
}
