// What every CLI command shares: the global options, a workbench opened on the home, the typed
// client over it (the same contract the UI uses), output as JSON or text, and exit codes:
// 0 success, 2 invalid input or arguments, 1 any other failure.
import type { Command } from 'commander';
import { createClient, type ApiClient } from '../../shared/client.ts';
import { ApiError } from '../../shared/contract.ts';
import { resolveHome } from '../store/home.ts';
import { openWorkbench, type Workbench } from '../api/workbench.ts';

export interface GlobalOptions { home?: string; json?: boolean }

export interface CommandContext {
  json: boolean;
  home: string;
  workbench: Workbench;
  client: ApiClient;
  /** Prints the command's one JSON document (with --json) or its text rendering. */
  print(value: unknown, text: () => string): void;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export async function runCommand(command: Command, body: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const globals = globalsOf(command);
  const json = globals.json === true;
  let workbench: Workbench | null = null;
  try {
    const home = resolveHome(globals.home);
    workbench = await openWorkbench({ home, parallel: workersFromEnv() });
    const wb = workbench;
    const client = createClient({ invoke: (m, r) => wb.dispatch(m, r), subscribe: (l) => wb.subscribe(l) });
    await body({
      json,
      home,
      workbench,
      client,
      print: (value, text) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`),
    });
  } catch (error) {
    reportError(error, json);
  } finally {
    await workbench?.close();
  }
}

/** MOE_WORKBENCH_WORKERS=N: at most N training workers at once (default: one per core). */
export function workersFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.MOE_WORKBENCH_WORKERS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^[1-9]\d*$/.test(raw)) throw new ApiError('invalid_request', `MOE_WORKBENCH_WORKERS must be a whole number >= 1, got "${raw}"`);
  return Number(raw);
}

export function reportError(error: unknown, json: boolean): void {
  const api = error instanceof ApiError ? error : null;
  const invalid = api !== null && (api.code === 'invalid_input' || api.code === 'invalid_request');
  process.exitCode = invalid ? 2 : 1;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    const doc = api?.problems ? { errors: api.problems, message } : { error: { code: api?.code ?? 'failed', message } };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  process.stderr.write(`error: ${message}\n`);
  for (const p of api?.problems ?? []) process.stderr.write(`  ${p.file}${p.line !== null ? `:${p.line}` : ''}: ${p.message}\n`);
}

/** Parses an integer option value, with the option's name in the message. */
export function intOption(name: string): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value)) throw new ApiError('invalid_request', `${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
}

export function numberOption(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new ApiError('invalid_request', `${name} must be a number, got "${value}"`);
    return n;
  };
}
