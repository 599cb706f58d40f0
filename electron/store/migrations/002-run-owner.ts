// Migration 2: a run's owner is a process identity, pid plus a random id drawn when that process
// opened its store (owner_id), so that a reused pid is never mistaken for the owner. Rows written
// before it keep owner_id NULL and are judged by pid and heartbeat as before. A dataset version
// records the sha256 of every file of its prepared folder (files, JSON), so that a folder edited
// after registration is detected before training on it; older versions keep files NULL.
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN owner_id TEXT;
    ALTER TABLE dataset_versions ADD COLUMN files TEXT;
    CREATE INDEX runs_by_status ON runs (status);
  `);
}
