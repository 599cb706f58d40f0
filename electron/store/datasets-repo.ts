// Datasets and their versions. A version is a content hash plus the split seed; its normalized
// records live in a folder under the home, referenced by a path relative to the home.
import type { Db } from './database.ts';
import { nowIso, writeTransaction } from './database.ts';

export interface DatasetVersionRow {
  id: number;
  datasetId: number;
  name: string;
  kind: string;
  hash: string;
  splitSeed: number;
  format: string;
  implicit: boolean;
  source: string;
  dir: string;
  counts: { train: number; validation: number; test: number };
  labels: string[];
  warnings: string[];
  stats: Record<string, unknown>;
  preview: Record<string, unknown>[];
  createdAt: string;
  versionCount: number;
  /** Every file of the prepared folder with its sha256 and size (null: registered before they were kept). */
  files: FileHash[] | null;
}

export interface FileHash { path: string; sha256: string; bytes: number }

/** What registration records: a version row less what the store assigns. */
export type NewVersion = Omit<DatasetVersionRow, 'id' | 'datasetId' | 'createdAt' | 'versionCount' | 'files'> & { files?: FileHash[] };

interface RawVersion {
  id: number; dataset_id: number; name: string; kind: string; hash: string; split_seed: number; format: string; implicit: number;
  source: string; dir: string; counts: string; labels: string; warnings: string; stats: string; preview: string; created_at: string; version_count: number; files: string | null;
}

const SELECT_VERSION = `
  SELECT v.*, d.name, d.kind, (SELECT COUNT(*) FROM dataset_versions x WHERE x.dataset_id = d.id) AS version_count
  FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id`;

function fromRaw(r: RawVersion): DatasetVersionRow {
  return {
    id: r.id, datasetId: r.dataset_id, name: r.name, kind: r.kind, hash: r.hash, splitSeed: r.split_seed, format: r.format,
    implicit: r.implicit === 1, source: r.source, dir: r.dir, counts: JSON.parse(r.counts), labels: JSON.parse(r.labels),
    warnings: JSON.parse(r.warnings), stats: JSON.parse(r.stats), preview: JSON.parse(r.preview), createdAt: r.created_at, versionCount: r.version_count,
    files: r.files === null ? null : JSON.parse(r.files),
  };
}

export class DatasetsRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** The newest version of a dataset, or null. */
  latest(name: string): DatasetVersionRow | null {
    const row = this.db.prepare(`${SELECT_VERSION} WHERE d.name = ? ORDER BY v.id DESC LIMIT 1`).get(name) as RawVersion | undefined;
    return row ? fromRaw(row) : null;
  }

  version(id: number): DatasetVersionRow | null {
    const row = this.db.prepare(`${SELECT_VERSION} WHERE v.id = ?`).get(id) as RawVersion | undefined;
    return row ? fromRaw(row) : null;
  }

  find(name: string, hash: string, splitSeed: number): DatasetVersionRow | null {
    const row = this.db.prepare(`${SELECT_VERSION} WHERE d.name = ? AND v.hash = ? AND v.split_seed = ?`).get(name, hash, splitSeed) as RawVersion | undefined;
    return row ? fromRaw(row) : null;
  }

  kindOf(name: string): string | null {
    const row = this.db.prepare('SELECT kind FROM datasets WHERE name = ?').get(name) as { kind: string } | undefined;
    return row?.kind ?? null;
  }

  /** Latest version of every dataset, by name. */
  list(): DatasetVersionRow[] {
    const rows = this.db
      .prepare(`${SELECT_VERSION} WHERE v.id = (SELECT MAX(id) FROM dataset_versions WHERE dataset_id = d.id) ORDER BY d.name`)
      .all() as RawVersion[];
    return rows.map(fromRaw);
  }

  insert(v: NewVersion): DatasetVersionRow {
    const id = writeTransaction(this.db, () => {
      const now = nowIso();
      this.db.prepare('INSERT INTO datasets (name, kind, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING').run(v.name, v.kind, now);
      const dataset = this.db.prepare('SELECT id FROM datasets WHERE name = ?').get(v.name) as { id: number };
      const info = this.db
        .prepare(
          `INSERT INTO dataset_versions (dataset_id, hash, split_seed, format, implicit, source, dir, counts, labels, warnings, stats, preview, created_at, files)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(dataset.id, v.hash, v.splitSeed, v.format, v.implicit ? 1 : 0, v.source, v.dir, JSON.stringify(v.counts), JSON.stringify(v.labels),
          JSON.stringify(v.warnings), JSON.stringify(v.stats), JSON.stringify(v.preview), now, v.files ? JSON.stringify(v.files) : null);
      return Number(info.lastInsertRowid);
    });
    return this.version(id)!;
  }

  /** Ids of runs that used any version of the dataset. */
  runsUsing(name: string): number[] {
    return (
      this.db
        .prepare('SELECT DISTINCT rd.run_id FROM run_datasets rd JOIN dataset_versions v ON v.id = rd.dataset_version_id JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ?')
        .all(name) as { run_id: number }[]
    ).map((r) => r.run_id);
  }

  /** Deletes the dataset and its versions (and, when forced, the links of runs that used them); returns the version folders no other version references. */
  remove(name: string, force: boolean): string[] {
    return writeTransaction(this.db, () => {
      const dirs = (this.db.prepare('SELECT v.dir FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ?').all(name) as { dir: string }[]).map((r) => r.dir);
      if (force) {
        this.db.prepare('DELETE FROM run_datasets WHERE dataset_version_id IN (SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ?)').run(name);
      }
      this.db.prepare('DELETE FROM datasets WHERE name = ?').run(name);
      const stillUsed = this.db.prepare('SELECT 1 FROM dataset_versions WHERE dir = ?');
      return dirs.filter((d) => stillUsed.get(d) === undefined);
    });
  }
}
