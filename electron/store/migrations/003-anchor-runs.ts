// Migration 3: runs of kind 'anchor' (a shared frozen encoder, issue 10). SQLite cannot alter a
// CHECK constraint, so the runs table is rebuilt by the 12-step procedure of
// https://www.sqlite.org/lang_altertable.html#otheralter: the runner turns foreign keys off around
// this step (steps 1 and 12, `foreignKeysOff`) and runs it in a transaction (steps 2 and 11); here
// steps 3-8 and 10. Columns keep their order (owner_id last, as migration 2 added it), so every
// row is copied as it is.
import type { Database } from 'better-sqlite3';

const COLUMNS = 'id, kind, status, name, config, seed, backend, versions, parent_id, replay_of, created_at, started_at, finished_at, heartbeat_at, owner_pid, checkpoint, result, error, owner_id';

export function up(db: Database): void {
  // Step 3: the indexes, triggers and views that belong to runs, to recreate after the rename.
  const attached = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'runs' AND type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid").all() as { type: string; name: string; sql: string }[];
  // Step 4: the new table. Its foreign keys name `runs`, which it becomes in step 7.
  db.exec(`
    CREATE TABLE new_runs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('expert','assembly','replay','eval','import','anchor')),
      status TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted')),
      name TEXT NOT NULL,
      config TEXT NOT NULL,
      seed INTEGER NOT NULL,
      backend TEXT NOT NULL,
      versions TEXT NOT NULL,
      parent_id INTEGER REFERENCES runs(id),
      replay_of INTEGER REFERENCES runs(id),
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      heartbeat_at TEXT,
      owner_pid INTEGER,
      checkpoint TEXT,
      result TEXT,
      error TEXT,
      owner_id TEXT
    );
  `);
  // Steps 5-7: copy, drop, rename.
  db.exec(`INSERT INTO new_runs (${COLUMNS}) SELECT ${COLUMNS} FROM runs;`);
  db.exec('DROP TABLE runs;');
  db.exec('ALTER TABLE new_runs RENAME TO runs;');
  // Step 8: the indexes (runs_by_kind_status, runs_by_status) and any trigger, as they were.
  for (const a of attached) db.exec(a.sql);
  // Step 10: every foreign key still holds (run_datasets, metrics, ... and parent/replay links).
  const broken = db.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) throw new Error(`migration 3: ${broken.length} foreign key(s) broken after rebuilding runs: ${JSON.stringify(broken.slice(0, 3))}`);
}
