// Runs: their config (written once), status transitions, lineage, ownership, heartbeat and crash
// recovery. A run has an owner from creation (the creating process's pid and random id); the owner
// refreshes the heartbeat of its queued and running runs on a timer. Another process marks a run
// interrupted only when its owner is provably gone: its pid is dead, its pid is ours but its id is
// not (the pid was reused), or its heartbeat is older than OWNER_GONE_MS.
import type { Db } from './database.ts';
import { nowIso, retryBusy, writeTransaction } from './database.ts';
import { processAlive, processOwner, type RunOwner } from './owner.ts';

export type RunKind = 'expert' | 'assembly' | 'replay' | 'eval' | 'import' | 'anchor';
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
  ownerId: string | null;
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
  heartbeat_at: string | null; owner_pid: number | null; owner_id: string | null; checkpoint: string | null; result: string | null; error: string | null;
}

function fromRaw(r: RawRun): RunRow {
  return {
    id: r.id, kind: r.kind, status: r.status, name: r.name, config: JSON.parse(r.config), seed: r.seed, backend: r.backend,
    versions: JSON.parse(r.versions), parentId: r.parent_id, replayOf: r.replay_of, createdAt: r.created_at, startedAt: r.started_at,
    finishedAt: r.finished_at, heartbeatAt: r.heartbeat_at, ownerPid: r.owner_pid, ownerId: r.owner_id, checkpoint: r.checkpoint ? JSON.parse(r.checkpoint) : null,
    result: r.result ? JSON.parse(r.result) : null, error: r.error,
  };
}

/** How often the owning process refreshes its runs' heartbeats. */
export const HEARTBEAT_MS = 5_000;
/**
 * A heartbeat older than this means the owner is gone even though a process with its pid exists
 * (the pid was reused by an unrelated process). Generous: 60 missed beats.
 */
export const OWNER_GONE_MS = 5 * 60_000;

interface OwnerFacts { owner_pid: number | null; owner_id: string | null; heartbeat_at: string | null }

/** Why a queued or running run's owner is gone, or null while it may be alive. */
export function ownerGoneReason(r: OwnerFacts, me: RunOwner, now = Date.now(), alive: (pid: number) => boolean = processAlive): string | null {
  if (r.owner_pid === null) return 'it has no owning process';
  if (r.owner_pid === me.pid) {
    if (r.owner_id === me.id) return null;
    return `its process (pid ${r.owner_pid}) stopped; this pid now belongs to another process`;
  }
  if (!alive(r.owner_pid)) return `its process (pid ${r.owner_pid}) stopped before it finished`;
  const beat = r.heartbeat_at === null ? Number.NaN : Date.parse(r.heartbeat_at);
  if (!Number.isFinite(beat) || now - beat > OWNER_GONE_MS) return `its process (pid ${r.owner_pid}) has not reported for over ${Math.round(OWNER_GONE_MS / 60_000)} minutes`;
  return null;
}

export class RunsRepo {
  private readonly db: Db;
  readonly owner: RunOwner;
  constructor(db: Db, owner: RunOwner = processOwner()) {
    this.db = db;
    this.owner = owner;
  }

  /** Creates a queued run owned by this process and records the dataset versions it uses, in one transaction. */
  create(run: NewRun): RunRow {
    const id = writeTransaction(this.db, () => {
      const now = nowIso();
      const info = this.db
        .prepare(
          `INSERT INTO runs (kind, status, name, config, seed, backend, versions, parent_id, replay_of, created_at, owner_pid, owner_id, heartbeat_at)
           VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.kind, run.name, JSON.stringify(run.config), run.seed, run.backend, JSON.stringify(run.versions), run.parentId ?? null, run.replayOf ?? null, now, this.owner.pid, this.owner.id, now);
      const runId = Number(info.lastInsertRowid);
      const link = this.db.prepare('INSERT OR IGNORE INTO run_datasets (run_id, dataset_version_id) VALUES (?, ?)');
      for (const v of run.datasetVersionIds) link.run(runId, v);
      return runId;
    });
    return this.get(id)!;
  }

  get(id: number): RunRow | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
    return row ? fromRaw(row) : null;
  }

  markRunning(id: number): void {
    const now = nowIso();
    retryBusy(() =>
      this.db
        .prepare("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), heartbeat_at = ?, owner_pid = ?, owner_id = ?, error = NULL, finished_at = NULL WHERE id = ?")
        .run(now, now, this.owner.pid, this.owner.id, id),
    );
  }

  /**
   * Takes over a stopped run (interrupted, cancelled or failed) for this process, atomically: of two
   * processes resuming the same run at once, exactly one gets it. Returns false when the run was
   * not in one of those states.
   */
  claim(id: number): boolean {
    const now = nowIso();
    const info = retryBusy(() =>
      this.db
        .prepare("UPDATE runs SET status = 'queued', owner_pid = ?, owner_id = ?, heartbeat_at = ?, error = NULL, finished_at = NULL WHERE id = ? AND status IN ('interrupted', 'cancelled', 'failed')")
        .run(this.owner.pid, this.owner.id, now, id),
    );
    return info.changes === 1;
  }

  /** Refreshes the heartbeat of one run. */
  heartbeat(id: number): void {
    retryBusy(() => this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status IN ('queued', 'running')").run(nowIso(), id));
  }

  /** Refreshes the heartbeat of every queued or running run this process owns (the host's timer). */
  heartbeatOwned(): number {
    return retryBusy(() =>
      this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE owner_pid = ? AND owner_id = ? AND status IN ('queued', 'running')").run(nowIso(), this.owner.pid, this.owner.id).changes,
    );
  }

  setCheckpoint(id: number, checkpoint: { dir: string; epoch: number }): void {
    retryBusy(() => this.db.prepare('UPDATE runs SET checkpoint = ?, heartbeat_at = ? WHERE id = ?').run(JSON.stringify(checkpoint), nowIso(), id));
  }

  /** `config`: the resolved config when training derived part of it from the data (replaces the stored one). */
  finish(id: number, status: Exclude<RunStatus, 'queued' | 'running'>, outcome: { result?: Record<string, unknown>; error?: string; config?: Record<string, unknown> } = {}): void {
    retryBusy(() =>
      this.db
        .prepare('UPDATE runs SET status = ?, finished_at = ?, result = COALESCE(?, result), error = ?, config = COALESCE(?, config) WHERE id = ?')
        .run(status, nowIso(), outcome.result ? JSON.stringify(outcome.result) : null, outcome.error ?? null, outcome.config ? JSON.stringify(outcome.config) : null, id),
    );
  }

  /** Why a queued or running run's owner is gone (null: it may be alive, or the run is not active). */
  ownerGone(run: RunRow, now = Date.now()): string | null {
    if (run.status !== 'queued' && run.status !== 'running') return null;
    return ownerGoneReason({ owner_pid: run.ownerPid, owner_id: run.ownerId, heartbeat_at: run.heartbeatAt }, this.owner, now);
  }

  /**
   * At start-up (of every process that opens the store): queued or running runs whose owner is
   * provably gone become `interrupted`. Runs of a live owner, queued or running, are never touched.
   * Each run is re-checked inside the write transaction, so a run that just finished is left as is.
   */
  recoverInterrupted(now = Date.now()): number[] {
    const select = this.db.prepare("SELECT id, owner_pid, owner_id, heartbeat_at FROM runs WHERE status IN ('running', 'queued')");
    const candidates = (select.all() as (OwnerFacts & { id: number })[]).filter((r) => ownerGoneReason(r, this.owner, now) !== null);
    if (candidates.length === 0) return [];
    const reread = this.db.prepare("SELECT id, owner_pid, owner_id, heartbeat_at FROM runs WHERE id = ? AND status IN ('running', 'queued')");
    const mark = this.db.prepare("UPDATE runs SET status = 'interrupted', error = ? WHERE id = ?");
    return writeTransaction(this.db, () => {
      const lost: number[] = [];
      for (const c of candidates) {
        const r = reread.get(c.id) as (OwnerFacts & { id: number }) | undefined;
        const reason = r ? ownerGoneReason(r, this.owner, now) : null;
        if (reason === null) continue;
        mark.run(`interrupted: ${reason}`, c.id);
        lost.push(c.id);
      }
      return lost;
    });
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
