// The file layer's fault-injection seam and its error messages. Tests (and the crash bench) set
// MOE_WORKBENCH_FAULT=CODE:STAGE (e.g. ENOSPC:export, EROFS:register, ENOSPC:checkpoint) to make
// the named stage fail exactly as the operating system would on a full disk or a read-only home;
// unset, faultPoint does nothing. A filesystem error becomes one sentence that names the file and
// says what to do.
import { ApiError } from '../../shared/contract.ts';

export type FaultStage = 'register' | 'checkpoint' | 'model' | 'export';

const SYSTEM_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EDQUOT: 'disk quota exceeded',
};

/** Parses MOE_WORKBENCH_FAULT; null when unset or malformed. */
export function configuredFault(env: NodeJS.ProcessEnv = process.env): { code: string; stage: string } | null {
  const spec = env.MOE_WORKBENCH_FAULT;
  if (!spec) return null;
  const m = /^([A-Z]+):([a-z]+)$/.exec(spec);
  return m ? { code: m[1], stage: m[2] } : null;
}

/** Throws the configured filesystem error when `stage` is the one named in MOE_WORKBENCH_FAULT. */
export async function faultPoint(stage: FaultStage, path: string): Promise<void> {
  const fault = configuredFault();
  if (!fault || fault.stage !== stage) return;
  const error = new Error(`${fault.code}: ${SYSTEM_TEXT[fault.code] ?? 'i/o error'}, write '${path}'`) as NodeJS.ErrnoException;
  error.code = fault.code;
  error.path = path;
  error.syscall = 'write';
  throw error;
}

/** A filesystem error that says the disk or the home cannot take writes. */
export function isStorageError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in SYSTEM_TEXT;
}

/**
 * One sentence for a filesystem error while `doing` something: which file, what the system said,
 * what to do, and that nothing already stored was changed. Other errors pass through unchanged.
 */
export function describeStorageError(error: unknown, doing: string): unknown {
  if (!isStorageError(error)) return error;
  const code = error.code!;
  const what = SYSTEM_TEXT[code];
  const remedy = code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space and try again' : 'make the folder writable (or choose another --home / target) and try again';
  return new ApiError('failed', `${doing} failed: ${what} writing ${error.path ?? 'a file'} (${code}); ${remedy}. Nothing already stored was changed.`);
}
