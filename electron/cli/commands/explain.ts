import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ApiClient } from '../../../shared/client.ts';
import { ApiError } from '../../../shared/contract.ts';
import { EXPLAIN_FILTERS, type ExplainFilter, type Explanation } from '../../../shared/explore.ts';
import { SPLITS, type SplitName } from '../../../shared/domain.ts';
import { initBackend } from '../../engine/compute/backend.ts';
import { disposeBundle, explain, loadBundle } from '../../engine/bundle/index.ts';
import { readExport } from '../../api/handlers/export.ts';
import { globalsOf, intOption, reportError, runCommand } from '../context.ts';
import { parseInput } from './models.ts';

interface ExplainOptions { task: string; input?: string; split?: string; limit?: number; filter?: string }

const show = (v: unknown): string => (typeof v === 'number' ? v.toFixed(3) : Array.isArray(v) ? v.join(' ') : String(v));

function explanationText(e: Explanation): string {
  const lines = [`${e.task} (${e.kind})${e.split ? `, ${e.split} split` : ''}${e.filter ? `, filter ${e.filter}` : ''}: ${e.examples.length} of ${e.counts.matching} matching examples`];
  for (const x of e.examples) {
    const mark = x.correct === null ? '' : x.correct ? ' ok' : ' WRONG';
    lines.push(`#${x.index} ${e.kind === 'texture' ? '(image)' : x.input}`);
    lines.push(`  label ${x.label === null ? '-' : show(x.label)}  prediction ${show(x.prediction)}${mark}  top-1 ${x.top1}${x.routed_away ? ' (routed away)' : ''}${x.dropped ? ' (dropped)' : ''}  entropy ${x.entropy.toFixed(2)}`);
    if (e.kind !== 'texture') lines.push(`  ${x.units.map((u) => `${u.unit}→${u.top1}`).join(' ')}`);
    lines.push(`  counterfactual: ${Object.entries(x.counterfactual).map(([k, v]) => `${k}: ${show(v)}${x.counterfactual_correct[k] === true ? ' ok' : ''}`).join(', ')}`);
  }
  if (e.regret !== null) lines.push(`router regret: ${(100 * e.regret).toFixed(1)}% (${e.counts.fixable} of ${e.counts.errors} errors fixable by one expert, ${e.counts.examples} examples)`);
  return lines.join('\n');
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .argument('<run>', 'a run id, or an exported folder (typed --input only)')
    .requiredOption('--task <name>', 'task (dataset) name')
    .option('--input <input>', 'a text, an image path, or user,item')
    .option('--split <split>', SPLITS.join(' | '))
    .option('--limit <n>', 'most examples shown (default 50)', intOption('--limit'))
    .option('--filter <filter>', EXPLAIN_FILTERS.join(' | '))
    .description('show which expert took each token, patch or pair, and what each expert alone would predict')
    .action(async (target: string, opts: ExplainOptions, command: Command) => {
      if ((opts.input === undefined) === (opts.split === undefined)) return reportError(new ApiError('invalid_request', 'give either --input X or --split test'), globalsOf(command).json === true);
      if (opts.split !== undefined && !(SPLITS as readonly string[]).includes(opts.split)) return reportError(new ApiError('invalid_request', `--split must be one of ${SPLITS.join(', ')}`), globalsOf(command).json === true);
      if (opts.filter !== undefined && !(EXPLAIN_FILTERS as readonly string[]).includes(opts.filter)) return reportError(new ApiError('invalid_request', `--filter must be one of ${EXPLAIN_FILTERS.join(', ')}`), globalsOf(command).json === true);
      if (/^\d+$/.test(target)) {
        const id = Number(target);
        return runCommand(command, async ({ client, print }) => {
          const request = opts.input !== undefined
            ? await inputRequest(client, id, opts.task, opts.input)
            : { id, task: opts.task, split: opts.split as SplitName, ...(opts.filter ? { filter: opts.filter as ExplainFilter } : {}), ...(opts.limit ? { limit: opts.limit } : {}) };
          const e = await client.call('explain', request);
          print(e, () => explanationText(e));
        });
      }
      const json = globalsOf(command).json === true;
      try {
        const dir = resolve(target);
        if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new ApiError('invalid_request', `${target} is neither a run id nor a folder`);
        if (opts.input === undefined) throw new ApiError('invalid_request', 'an exported folder holds no data: give --input');
        await initBackend();
        await readExport(dir);
        const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { tasks: { name: string; kind: string }[] };
        const task = model.tasks.find((t) => t.name === opts.task);
        if (!task) throw new ApiError('invalid_request', `no task ${opts.task} in ${target}; tasks: ${model.tasks.map((t) => t.name).join(', ')}`);
        const bundle = await loadBundle(dir);
        try {
          const e = explain(bundle, opts.task, await parseInput(task, opts.input));
          process.stdout.write(json ? `${JSON.stringify(e, null, 2)}\n` : `${explanationText(e)}\n`);
        } finally {
          disposeBundle(bundle);
        }
      } catch (error) {
        reportError(error, json);
      }
    });
}

/** The API request for a typed input: the task's kind (from its dataset) says how to read it; an image path is read by the engine. */
async function inputRequest(client: ApiClient, id: number, task: string, input: string) {
  const kind = (await client.call('datasets.list', {})).find((d) => d.name === task)?.kind;
  if (kind === 'texture') return { id, task, input: { imagePath: resolve(input) } };
  if (kind === 'recommendation') {
    const comma = input.indexOf(',');
    if (comma <= 0 || comma === input.length - 1) throw new ApiError('invalid_request', `--input for a recommendation task is user,item; got "${input}"`);
    return { id, task, input: { user: input.slice(0, comma).trim(), item: input.slice(comma + 1).trim() } };
  }
  return { id, task, input: { text: input } };
}
