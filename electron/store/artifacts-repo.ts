// Files a run produced (weights, checkpoints, exports), each with its sha256 and size.
import type { Db } from './database.ts';
import { nowIso, writeTransaction } from './database.ts';

export interface ArtifactRow { kind: string; path: string; sha256: string; bytes: number }

export class ArtifactsRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  add(runId: number, a: ArtifactRow): void {
    this.db.prepare('INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(runId, a.kind, a.path, a.sha256, a.bytes, nowIso());
  }

  /** Replaces a run's artifacts of one kind (a new checkpoint supersedes the last). */
  replace(runId: number, kind: string, artifacts: ArtifactRow[]): void {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM artifacts WHERE run_id = ? AND kind = ?').run(runId, kind);
      for (const a of artifacts) this.add(runId, { ...a, kind });
    });
  }

  of(runId: number): ArtifactRow[] {
    return this.db.prepare('SELECT kind, path, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY id').all(runId) as ArtifactRow[];
  }
}
