// Runs the real `moe-workbench` command (bin/moe-workbench.js) in a child process with its own home.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin', 'moe-workbench.js');

export interface CliResult { code: number | null; stdout: string; stderr: string; json: unknown }

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'moe-cli-'));
}

function parse(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI without blocking this process: a synchronous spawn would stall the test worker's
 * event loop for the whole command (a minute of training, under load) and vitest's own RPC with it.
 */
export function cli(home: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, json: parse(stdout) }));
  });
}

export const SAMPLES = join(process.cwd(), 'resources', 'samples');
