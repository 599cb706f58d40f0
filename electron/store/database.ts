// Opens the experiment store: one SQLite file, WAL, NORMAL sync, foreign keys, a busy timeout,
// migrated to the latest schema.
import Database, { type Database as Db } from 'better-sqlite3';
import { migrate } from './migrations/index.ts';

export type { Db };

export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
