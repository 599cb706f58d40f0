// Migration 2: a run's owner is a process identity, pid plus a random id drawn when that process
// opened its store (owner_id), so that a reused pid is never mistaken for the owner. Rows written
// before it keep owner_id NULL and are judged by pid and heartbeat as before.
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN owner_id TEXT;
    CREATE INDEX runs_by_status ON runs (status);
  `);
}
