import type { Command } from 'commander';
import type { DatasetSummary } from '../../../shared/contract.ts';
import { DOMAIN_KINDS, type DomainKind } from '../../../shared/domain.ts';
import { intOption, runCommand } from '../context.ts';
import { table } from '../table.ts';

/** The JSON shape the CLI prints for a dataset (add, show, and each element of list). */
export function datasetJson(d: DatasetSummary) {
  return { name: d.name, kind: d.kind, version: d.version, counts: d.counts, labels: d.labels, warnings: d.warnings, format: d.format, implicit: d.implicit, versions: d.versions };
}

function datasetText(d: DatasetSummary): string {
  const lines = [
    `${d.name} (${d.kind}, ${d.format}${d.implicit ? ', implicit' : ''}) version ${d.version.slice(0, 12)}`,
    `  train ${d.counts.train}  validation ${d.counts.validation}  test ${d.counts.test}`,
  ];
  if (d.labels.length) lines.push(`  labels: ${d.labels.slice(0, 20).join(', ')}${d.labels.length > 20 ? ` (+${d.labels.length - 20})` : ''}`);
  for (const w of d.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('register and inspect domain datasets');
  datasets
    .command('add')
    .description('validate and register a dataset (a new version when the data changed)')
    .argument('<path>', 'file or folder')
    .requiredOption('--kind <kind>', `one of ${DOMAIN_KINDS.join(', ')}`)
    .requiredOption('--name <name>', 'dataset name')
    .option('--format <format>', 'input format (detected when omitted)')
    .option('--text-col <column>', 'text column (semantics CSV/TSV)', 'text')
    .option('--label-col <column>', 'label column (semantics CSV/TSV)', 'label')
    .option('--implicit', 'recommendation: every interaction is a positive')
    .option('--seed <seed>', 'split seed', intOption('--seed'))
    .action((path: string, opts: { kind: string; name: string; format?: string; textCol?: string; labelCol?: string; implicit?: boolean; seed?: number }, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const { dataset, created } = await client.call('datasets.add', {
          path, kind: opts.kind as DomainKind, name: opts.name, format: opts.format, textCol: opts.textCol, labelCol: opts.labelCol, implicit: opts.implicit, seed: opts.seed,
        });
        print({ ...datasetJson(dataset), created }, () => `${created ? 'registered' : 'unchanged (identical data already registered)'}: ${datasetText(dataset)}`);
      }),
    );
  datasets
    .command('list')
    .description('list registered datasets (latest versions)')
    .action((_o, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const all = await client.call('datasets.list', {});
        print(all.map(datasetJson), () =>
          all.length === 0 ? 'no datasets yet: `moe-workbench datasets add PATH --kind KIND --name NAME`' : table(['name', 'kind', 'format', 'version', 'train', 'val', 'test', 'labels', 'warnings'], all.map((d) => [d.name, d.kind, d.format, d.version.slice(0, 12), d.counts.train, d.counts.validation, d.counts.test, d.labels.length, d.warnings.length])),
        );
      }),
    );
  datasets
    .command('show')
    .argument('<name>')
    .description('show a dataset: counts, labels, warnings and statistics')
    .action((name: string, _o, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const d = await client.call('datasets.show', { name });
        print({ ...datasetJson(d), stats: d.stats, source: d.source, splitSeed: d.splitSeed }, () => `${datasetText(d)}\n  source: ${d.source}\n  stats: ${JSON.stringify(d.stats)}`);
      }),
    );
  datasets
    .command('remove')
    .argument('<name>')
    .option('--force', 'remove even when runs used it')
    .description('remove a dataset and its versions')
    .action((name: string, opts: { force?: boolean }, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const r = await client.call('datasets.remove', { name, force: opts.force });
        print(r, () => `removed ${name}`);
      }),
    );
}
