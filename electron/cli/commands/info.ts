import type { Command } from 'commander';
import { runCommand } from '../context.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the compute backend, package versions and the workbench home')
    .action((_opts, command: Command) =>
      runCommand(command, async ({ client, print }) => {
        const info = await client.call('info', {});
        print(
          { backend: info.backend, versions: info.versions, home: info.home },
          () =>
            [`backend  ${info.backend}`, `node     ${info.versions.node}`, `tfjs     ${info.versions.tfjs}`, `app      ${info.versions.app}`, `home     ${info.home}`, ...(info.nativeBackendHint ? [`hint     ${info.nativeBackendHint}`] : [])].join('\n'),
        );
      }),
    );
}
