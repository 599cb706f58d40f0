import type { Command } from 'commander';
import { ROUTER_METHODS, type RouterMethod } from '../../../shared/config.ts';
import { ApiError, type RouterBench } from '../../../shared/contract.ts';
import { intOption, runCommand } from '../context.ts';

const fmt = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : v.toFixed(digits));

/** Per dataset, one line per method: selection metric, retention, purity, distance from oracle; the best marked with *. */
export function routerBenchText(b: RouterBench): string {
  const lines = [`router bench ${b.id} ${b.status}: experts ${b.experts.join(', ')}`];
  const methods = Object.keys(b.methods);
  for (const [dataset, sel] of Object.entries(b.selection)) {
    lines.push('', `${dataset} (${sel.higher_is_better ? 'max' : 'min'} ${sel.metric})`);
    lines.push(['', 'method', 'run', sel.metric, 'retention', 'purity', 'vs oracle', 'build_s'].join('\t'));
    for (const m of methods) {
      const r = b.methods[m];
      const diff = r.from_oracle[dataset];
      lines.push(
        [
          b.best[dataset] === m ? '*' : '',
          m,
          r.run ?? '-',
          fmt(r.metrics[dataset]?.[sel.metric]),
          fmt(r.retention[dataset], 3),
          fmt(r.purity[dataset], 3),
          m === 'oracle' ? 'reference' : diff === undefined ? '-' : `${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`,
          fmt(r.build_s ?? undefined, 2),
        ].join('\t'),
      );
    }
    lines.push(`best for ${dataset}: ${b.best[dataset] ?? '-'}`);
  }
  lines.push('', ['method', 'entropy', 'load per expert'].join('\t'));
  for (const m of methods) lines.push([m, fmt(b.methods[m].entropy ?? undefined, 3), b.methods[m].load.map((l) => l.toFixed(3)).join(' ') || '-'].join('\t'));
  for (const m of methods) if (b.methods[m].error) lines.push(`${m}: ${b.methods[m].error}`);
  return lines.join('\n');
}

export function registerRouterBench(program: Command): void {
  program
    .command('router-bench')
    .description('assemble the same experts under every router method (one child run each) and compare them per domain')
    .option('--experts <ids>', 'expert run ids, comma-separated')
    .option('--methods <list>', `comma-separated subset of ${ROUTER_METHODS.join(',')} (default: all)`)
    .option('--top-k <k>', 'experts per token for every method', intOption('--top-k'))
    .option('--epochs <n>', 'joint fine-tuning epochs (joint method, and each dense baseline)', intOption('--epochs'))
    .option('--seed <s>', 'seed of every child', intOption('--seed'))
    .action((opts: { experts?: string; methods?: string; topK?: number; epochs?: number; seed?: number }, command: Command) =>
      runCommand(command, async (ctx) => {
        if (!opts.experts) throw new ApiError('invalid_request', 'give --experts ID,ID,...');
        const experts = opts.experts.split(',').map((s) => s.trim());
        if (experts.some((s) => !/^\d+$/.test(s))) throw new ApiError('invalid_request', `expected run ids like 1,2,3, got "${opts.experts}"`);
        const methods = opts.methods?.split(',').map((s) => s.trim());
        const unknown = methods?.find((m) => !(ROUTER_METHODS as readonly string[]).includes(m));
        if (unknown !== undefined) throw new ApiError('invalid_request', `unknown router method "${unknown}"; choose from ${ROUTER_METHODS.join(', ')}`);
        const { id } = await ctx.client.call('routerBench.start', {
          experts: experts.map(Number),
          methods: methods as RouterMethod[] | undefined,
          top_k: opts.topK,
          epochs: opts.epochs,
          seed: opts.seed,
        });
        if (!ctx.json) process.stderr.write(`router bench ${id} started\n`);
        await ctx.workbench.routerBenches.wait(id);
        const bench = await ctx.client.call('routerBench.show', { id });
        if (bench.status !== 'completed') process.exitCode = 1;
        ctx.print(bench, () => routerBenchText(bench));
      }),
    );
}
