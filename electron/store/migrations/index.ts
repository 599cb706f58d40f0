// Numbered, immutable migrations. Each runs in its own transaction; the file is copied aside
// before migrating an existing database; a database from a newer app is refused.
import type { Database } from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { up as initial } from './001-initial.ts';
import { up as runOwner } from './002-run-owner.ts';
import { up as anchorRuns } from './003-anchor-runs.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /**
   * Rebuilds a table (SQLite's 12-step procedure): foreign keys are switched off before its
   * transaction and back on after it (PRAGMA foreign_keys is a no-op inside a transaction).
   */
  foreignKeysOff?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial },
  { version: 2, name: 'run owner, dataset file hashes', up: runOwner },
  { version: 3, name: 'anchor runs', up: anchorRuns, foreignKeysOff: true },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class NewerDatabaseError extends Error {
  constructor(file: string, found: number) {
    super(`${file} was written by a newer MoE Workbench (schema version ${found}; this app knows up to ${LATEST_VERSION}). Update the app, or use another --home.`);
    this.name = 'NewerDatabaseError';
  }
}

function checkRegistry(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration registry out of order at ${m.name}: expected version ${i + 1}, got ${m.version}`);
  });
}

/** Brings db to `target` (default: latest). Returns the backup path when one was made. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS, target = migrations.length): string | null {
  checkRegistry(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) throw new NewerDatabaseError(file, current);
  if (current >= target) return null;
  // Two processes may open a new or old home at once: each step re-reads the version inside its
  // own write transaction (BEGIN IMMEDIATE), so a step another process already applied is skipped.
  let backup: string | null = null;
  if (current > 0 && file !== ':memory:' && existsSync(file)) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    backup = `${file}.v${current}.bak`;
    copyFileSync(file, backup);
  }
  for (const m of migrations.slice(current, target)) {
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (m.foreignKeysOff) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return backup;
}
