// Opens the experiment store: one SQLite file, WAL, NORMAL sync, foreign keys, a busy timeout,
// migrated to the latest schema. Several processes share one store (the app, `serve`, CLI
// commands): every write transaction takes the write lock up front (BEGIN IMMEDIATE, so a reader
// never has to upgrade and fail), waits up to BUSY_TIMEOUT_MS for it, and is retried where SQLite
// still answers "busy". A file that is not a store, is damaged or is from a newer app gives one
// sentence naming the file and what to do.
import Database, { type Database as Db } from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { migrate, NewerDatabaseError } from './migrations/index.ts';

export type { Db };

export const BUSY_TIMEOUT_MS = 15_000;
const BUSY_RETRIES = 8;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Runs `fn`, retrying with a growing pause while SQLite says the database is busy or locked. */
export function retryBusy<T>(fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
      Atomics.wait(sleeper, 0, 0, 25 * 2 ** attempt + Math.floor(Math.random() * 25));
    }
  }
}

/** One short write transaction: takes the write lock first, retried while busy. */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return retryBusy(() => db.transaction(fn).immediate());
}

/** The store file could not be used: what is wrong with which file, and what to do. */
export class StoreFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'StoreFileError';
    this.file = file;
  }
}

function damaged(file: string, error: unknown): Error {
  if (error instanceof NewerDatabaseError || error instanceof StoreFileError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const size = existsSync(file) ? statSync(file).size : 0;
  if (code === 'SQLITE_NOTADB') {
    return new StoreFileError(file, `${file} is not a MoE Workbench store (not an SQLite database${size === 0 ? '' : `, ${size} bytes`}). Move it aside (the workbench creates a new store) or use another --home; it was not changed.`);
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    return new StoreFileError(file, `${file} is damaged (truncated or overwritten: ${(error as Error).message}). Restore it from a backup (a ${file}.vN.bak is kept before each upgrade) or move it aside; it was not changed.`);
  }
  if (typeof code === 'string' && (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL')) {
    return new StoreFileError(file, `${file} cannot be opened for writing (${(error as Error).message}). Check the disk has space and the home folder is writable, or use another --home.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

const MAGIC = 'SQLite format 3\0';

/**
 * Reads the 100-byte header of an existing file: not SQLite, or shorter than the page count its
 * header declares (truncated), is refused before SQLite touches it.
 */
export function checkStoreFile(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== MAGIC) {
    throw new StoreFileError(file, `${file} is not a MoE Workbench store (not an SQLite database, ${size} bytes). Move it aside (the workbench then creates a new store) or use another --home; it was not changed.`);
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (valid && pages > 0 && size < pages * pageSize) {
    throw new StoreFileError(file, `${file} is damaged: truncated to ${size} bytes, its header says ${pages * pageSize}. Restore it from a backup (a ${file}.vN.bak is kept before each upgrade) or move it aside; it was not changed.`);
  }
}

/** SQLite found a damaged page while answering: the same sentence as at open. */
export function describeStoreError(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return damaged(file, error);
  return error;
}

export function openDatabase(file: string): Db {
  checkStoreFile(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw damaged(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    retryBusy(() => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A damaged file often opens and fails only when a page is read: read the schema now.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    retryBusy(() => migrate(db, file));
    return db;
  } catch (error) {
    db.close();
    throw damaged(file, error);
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
