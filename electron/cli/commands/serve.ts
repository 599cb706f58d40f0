// `moe-workbench serve`: the UI in a browser, over HTTP + WebSocket, on 127.0.0.1 unless
// --host says otherwise. Runs until interrupted (Ctrl-C), then closes the server and the home.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../../shared/contract.ts';
import { startServer } from '../../serve/server.ts';
import { intOption, runCommand } from '../context.ts';

/** The built renderer (`npx electron-vite build` writes it). */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

function untilInterrupted(): Promise<string> {
  return new Promise((resolveSignal) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolveSignal(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the UI to a browser (HTTP + WebSocket, token required)')
    .option('--port <port>', 'port to listen on (default: a free one)', intOption('--port'))
    .option('--host <host>', 'address to listen on (default 127.0.0.1; anything else exposes the engine to that network)')
    .action((opts: { port?: number; host?: string }, command: Command) =>
      runCommand(command, async ({ workbench, json, print }) => {
        if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
          throw new ApiError('failed', `the UI is not built (${RENDERER_DIR} has no index.html): run \`npx electron-vite build\` first`);
        }
        if (opts.port !== undefined && (opts.port < 0 || opts.port > 65535)) throw new ApiError('invalid_request', `--port must be 0..65535, got ${opts.port}`);
        const server = await startServer({ workbench, staticDir: RENDERER_DIR, port: opts.port, host: opts.host });
        print({ url: server.url, token: server.token }, () =>
          [`MoE Workbench is served at ${server.url}`, ...(opts.host && opts.host !== '127.0.0.1' ? [`warning: listening on ${opts.host}; anyone who can reach it and has the token can use this workbench`] : []), 'Press Ctrl-C to stop.'].join('\n'),
        );
        const signal = await untilInterrupted();
        if (!json) process.stderr.write(`${signal}: stopping\n`);
        await server.close();
      }),
    );
}
