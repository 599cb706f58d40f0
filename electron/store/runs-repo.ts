// Runs: their config (written once), status transitions, lineage, heartbeat and crash recovery.
import type { Db } from './database.ts';
import { nowIso } from './database.ts';

export type RunKind = 'expert' | 'assembly' | 'replay' | 'eval' | 'import';
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface RunRow {
  id: number;
  kind: RunKind;
  status: RunStatus;
  name: string;
  config: Record<string, unknown>;
  seed: number;
  backend: string;
  versions: Record<string, string>;
  parentId: number | null;
  replayOf: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  ownerPid: number | null;
  checkpoint: { dir: string; epoch: number } | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

export interface NewRun {
  kind: RunKind;
  name: string;
  config: Record<string, unknown>;
  seed: number;
  backend: string;
  versions: Record<string, string>;
  parentId?: number | null;
  replayOf?: number | null;
  datasetVersionIds: number[];
}

export interface RunFilter { kind?: string; status?: string; dataset?: string }

interface RawRun {
  id: number; kind: RunKind; status: RunStatus; name: string; config: string; seed: number; backend: string; versions: string;
  parent_id: number | null; replay_of: number | null; created_at: string; started_at: string | null; finished_at: string | null;
  heartbeat_at: string | null; owner_pid: number | null; checkpoint: string | null; result: string | null; error: string | null;
}

function fromRaw(r: RawRun): RunRow {
  return {
    id: r.id, kind: r.kind, status: r.status, name: r.name, config: JSON.parse(r.config), seed: r.seed, backend: r.backend,
    versions: JSON.parse(r.versions), parentId: r.parent_id, replayOf: r.replay_of, createdAt: r.created_at, startedAt: r.started_at,
    finishedAt: r.finished_at, heartbeatAt: r.heartbeat_at, ownerPid: r.owner_pid, checkpoint: r.checkpoint ? JSON.parse(r.checkpoint) : null,
    result: r.result ? JSON.parse(r.result) : null, error: r.error,
  };
}

/** A heartbeat older than this marks a `running` run of a live process as interrupted too. */
export const STALE_HEARTBEAT_MS = 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunsRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Creates a queued run and records the dataset versions it uses, in one transaction. */
  create(run: NewRun): RunRow {
    const id = this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO runs (kind, status, name, config, seed, backend, versions, parent_id, replay_of, created_at)
           VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.kind, run.name, JSON.stringify(run.config), run.seed, run.backend, JSON.stringify(run.versions), run.parentId ?? null, run.replayOf ?? null, nowIso());
      const runId = Number(info.lastInsertRowid);
      const link = this.db.prepare('INSERT OR IGNORE INTO run_datasets (run_id, dataset_version_id) VALUES (?, ?)');
      for (const v of run.datasetVersionIds) link.run(runId, v);
      return runId;
    })();
    return this.get(id)!;
  }

  get(id: number): RunRow | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
    return row ? fromRaw(row) : null;
  }

  markRunning(id: number): void {
    const now = nowIso();
    this.db.prepare("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), heartbeat_at = ?, owner_pid = ?, error = NULL, finished_at = NULL WHERE id = ?").run(now, now, process.pid, id);
  }

  heartbeat(id: number): void {
    this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(nowIso(), id);
  }

  setCheckpoint(id: number, checkpoint: { dir: string; epoch: number }): void {
    this.db.prepare('UPDATE runs SET checkpoint = ?, heartbeat_at = ? WHERE id = ?').run(JSON.stringify(checkpoint), nowIso(), id);
  }

  /** `config`: the resolved config when training derived part of it from the data (replaces the stored one). */
  finish(id: number, status: Exclude<RunStatus, 'queued' | 'running'>, outcome: { result?: Record<string, unknown>; error?: string; config?: Record<string, unknown> } = {}): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, result = COALESCE(?, result), error = ?, config = COALESCE(?, config) WHERE id = ?')
      .run(status, nowIso(), outcome.result ? JSON.stringify(outcome.result) : null, outcome.error ?? null, outcome.config ? JSON.stringify(outcome.config) : null, id);
  }

  /** At start-up: runs left `running` by a dead process (or silent too long) become `interrupted`. */
  recoverInterrupted(now = Date.now()): number[] {
    const running = this.db.prepare("SELECT id, owner_pid, heartbeat_at FROM runs WHERE status IN ('running', 'queued')").all() as { id: number; owner_pid: number | null; heartbeat_at: string | null }[];
    const lost = running.filter((r) => {
      if (r.owner_pid === process.pid) return false;
      if (r.owner_pid === null || !processAlive(r.owner_pid)) return true;
      return r.heartbeat_at === null || now - Date.parse(r.heartbeat_at) > STALE_HEARTBEAT_MS;
    });
    const mark = this.db.prepare("UPDATE runs SET status = 'interrupted', error = 'the process running it stopped before it finished' WHERE id = ?");
    this.db.transaction(() => lost.forEach((r) => mark.run(r.id)))();
    return lost.map((r) => r.id);
  }

  list(filter: RunFilter = {}): RunRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.kind) {
      where.push('r.kind = ?');
      args.push(filter.kind);
    }
    if (filter.status) {
      where.push('r.status = ?');
      args.push(filter.status);
    }
    if (filter.dataset) {
      where.push('r.id IN (SELECT rd.run_id FROM run_datasets rd JOIN dataset_versions v ON v.id = rd.dataset_version_id JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ?)');
      args.push(filter.dataset);
    }
    const sql = `SELECT r.* FROM runs r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC`;
    return (this.db.prepare(sql).all(...args) as RawRun[]).map(fromRaw);
  }

  /** Dataset versions a run used: name, hash and version id. */
  datasetsOf(id: number): { name: string; hash: string; versionId: number; splitSeed: number }[] {
    return this.db
      .prepare(
        `SELECT d.name, v.hash, v.id AS versionId, v.split_seed AS splitSeed FROM run_datasets rd
         JOIN dataset_versions v ON v.id = rd.dataset_version_id JOIN datasets d ON d.id = v.dataset_id WHERE rd.run_id = ? ORDER BY d.name`,
      )
      .all(id) as { name: string; hash: string; versionId: number; splitSeed: number }[];
  }

  /** Dataset names per run, for every run at once (for listings). */
  datasetNamesByRun(): Map<number, string[]> {
    const rows = this.db
      .prepare('SELECT rd.run_id, d.name FROM run_datasets rd JOIN dataset_versions v ON v.id = rd.dataset_version_id JOIN datasets d ON d.id = v.dataset_id ORDER BY d.name')
      .all() as { run_id: number; name: string }[];
    const out = new Map<number, string[]>();
    for (const r of rows) {
      const names = out.get(r.run_id);
      if (names) names.push(r.name);
      else out.set(r.run_id, [r.name]);
    }
    return out;
  }

  children(id: number): number[] {
    return (this.db.prepare('SELECT id FROM runs WHERE parent_id = ? OR replay_of = ? ORDER BY id').all(id, id) as { id: number }[]).map((r) => r.id);
  }
}
