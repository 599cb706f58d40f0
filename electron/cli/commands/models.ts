import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract.ts';
import { initBackend } from '../../engine/compute/backend.ts';
import { disposeBundle, loadBundle, predict } from '../../engine/bundle/index.ts';
import { readImageFile } from '../../engine/datasets/image.ts';
import { readExport } from '../../api/handlers/export.ts';
import { globalsOf, intOption, reportError, runCommand } from '../context.ts';

interface TaskInfo { name: string; kind: string }

/** Turns the --input text into the model input its task expects. */
export async function parseInput(task: TaskInfo, input: string) {
  if (task.kind === 'texture') return { pixels: (await readImageFile(resolve(input))).pixels };
  if (task.kind === 'recommendation') {
    const comma = input.indexOf(',');
    if (comma <= 0 || comma === input.length - 1) throw new ApiError('invalid_request', `--input for a recommendation task is user,item; got "${input}"`);
    return { user: input.slice(0, comma).trim(), item: input.slice(comma + 1).trim() };
  }
  return { text: input };
}

export function registerModels(program: Command): void {
  program
    .command('export')
    .argument('<id>', 'run id', intOption('run id'))
    .argument('<dir>', 'target folder (created; must be empty unless --force)')
    .option('--force', 'replace a non-empty folder')
    .description('export a trained model as a self-describing folder')
    .action((id: number, dir: string, opts: { force?: boolean }, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const r = await client.call('runs.export', { id, dir, force: opts.force });
        print(r, () => `exported run ${id} to ${r.dir}: ${r.files.join(', ')}`);
      }),
    );
  program
    .command('import')
    .argument('<dir>', 'an exported folder')
    .description('check an exported folder and register it as a run')
    .action((dir: string, _o, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const r = await client.call('runs.import', { dir });
        print(r, () => `imported ${dir} as run ${r.id}`);
      }),
    );
  program
    .command('predict')
    .argument('<dir>', 'an exported folder')
    .requiredOption('--task <name>', 'task (dataset) name')
    .requiredOption('--input <input>', 'a text, an image path, or user,item')
    .description('predict from an exported folder (no store needed)')
    .action(async (dir: string, opts: { task: string; input: string }, command: Command) => {
      const json = globalsOf(command).json === true;
      try {
        await initBackend();
        await readExport(resolve(dir));
        const model = JSON.parse(await readFile(join(resolve(dir), 'model.json'), 'utf8')) as { tasks: TaskInfo[] };
        const task = model.tasks.find((t) => t.name === opts.task);
        if (!task) throw new ApiError('invalid_request', `no task ${opts.task} in ${dir}; tasks: ${model.tasks.map((t) => t.name).join(', ')}`);
        const bundle = await loadBundle(resolve(dir));
        try {
          const p = predict(bundle, opts.task, await parseInput(task, opts.input));
          const { task: t, prediction, routing } = p;
          process.stdout.write(json ? `${JSON.stringify({ task: t, prediction, routing }, null, 2)}\n` : `${t}: ${JSON.stringify(prediction)}\n  experts: ${routing.experts.map((e) => `${e.expert} ${e.weight.toFixed(3)}`).join(', ')}\n`);
        } finally {
          disposeBundle(bundle);
        }
      } catch (error) {
        reportError(error, json);
      }
    });
}
