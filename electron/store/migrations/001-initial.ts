// Migration 1: datasets and versions, runs and their lineage, metrics (interned keys, a
// latest-value table so that listing runs never scans raw points), routing statistics, artifacts.
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE dataset_versions (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      hash TEXT NOT NULL,
      split_seed INTEGER NOT NULL,
      format TEXT NOT NULL,
      implicit INTEGER NOT NULL DEFAULT 0,
      source TEXT NOT NULL,
      dir TEXT NOT NULL,
      counts TEXT NOT NULL,
      labels TEXT NOT NULL,
      warnings TEXT NOT NULL,
      stats TEXT NOT NULL,
      preview TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (dataset_id, hash, split_seed)
    );
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('expert','assembly','replay','eval','import')),
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
      error TEXT
    );
    CREATE INDEX runs_by_kind_status ON runs (kind, status);
    CREATE TABLE run_datasets (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      dataset_version_id INTEGER NOT NULL REFERENCES dataset_versions(id),
      PRIMARY KEY (run_id, dataset_version_id)
    ) WITHOUT ROWID;
    CREATE INDEX run_datasets_by_version ON run_datasets (dataset_version_id);
    CREATE TABLE metric_keys (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE
    );
    -- value NULL means NaN (SQLite has no NaN); infinities are stored as REAL.
    CREATE TABLE metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key_id INTEGER NOT NULL REFERENCES metric_keys(id),
      step INTEGER NOT NULL,
      value REAL,
      time REAL NOT NULL
    );
    CREATE INDEX metrics_by_run_key_step ON metrics (run_id, key_id, step);
    CREATE TABLE latest_metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key_id INTEGER NOT NULL REFERENCES metric_keys(id),
      step INTEGER NOT NULL,
      value REAL,
      PRIMARY KEY (run_id, key_id)
    ) WITHOUT ROWID;
    CREATE TABLE routing_stats (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      split TEXT NOT NULL,
      domain TEXT NOT NULL,
      domain_index INTEGER NOT NULL,
      expert INTEGER NOT NULL,
      expert_name TEXT NOT NULL,
      top1 REAL NOT NULL,
      topk REAL NOT NULL,
      mean_prob REAL NOT NULL,
      dropped REAL NOT NULL
    );
    CREATE INDEX routing_by_run_split_step ON routing_stats (run_id, split, step);
    CREATE TABLE artifacts (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX artifacts_by_run ON artifacts (run_id);
  `);
}
