// The `moe-workbench` command line: the same engine and store as the app, headless.
import { Command } from 'commander';
import { reportError } from './context.ts';
import { registerAssemble } from './commands/assemble.ts';
import { registerDatasets } from './commands/datasets.ts';
import { registerDemo } from './commands/demo.ts';
import { registerInfo } from './commands/info.ts';
import { registerModels } from './commands/models.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRuns } from './commands/runs.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';
import { registerExplain } from './commands/explain.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerRouterBench } from './commands/router-bench.ts';

const program = new Command('moe-workbench')
  .description('Train one expert per domain, assemble them into a sparse Mixture-of-Experts, and see the routing.')
  .option('--home <dir>', 'workbench home (default: $MOE_WORKBENCH_HOME or ~/.moe-workbench)')
  .option('--json', 'print one JSON document on stdout')
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerInfo, registerDatasets, registerTrain, registerAssemble, registerRuns, registerReplay, registerModels, registerExplain, registerSweep, registerRouterBench, registerDemo, registerServe]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exitCode = 0;
  else if (code?.startsWith('commander.')) process.exitCode = 2;
  else reportError(error, process.argv.includes('--json'));
}
