// Who owns a run: this process, as a pid plus a random id drawn once per process (per thread's
// global object, so every store opened here agrees). A run recorded with our pid but another id
// belongs to an earlier process that had our pid: that process is gone.
import { randomUUID } from 'node:crypto';

export interface RunOwner { pid: number; id: string }

const KEY = Symbol.for('moe-workbench.process-owner');
const holder = globalThis as unknown as Record<symbol, RunOwner | undefined>;

export function processOwner(): RunOwner {
  holder[KEY] ??= { pid: process.pid, id: randomUUID() };
  return holder[KEY];
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
