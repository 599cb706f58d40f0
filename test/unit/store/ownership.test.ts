// Ownership and liveness: a run is owned from creation by pid + a per-process random id; recovery
// marks interrupted only runs whose owner is provably gone; queued runs of a live owner are never
// touched; the host's heartbeat timer moves without any progress event; resume refuses a run whose
// owner is alive and claims a stopped run atomically.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/events.ts';
import { JobRunner } from '../../../electron/api/jobs/runner.ts';
import { Training } from '../../../electron/api/training.ts';
import { DEFAULT_WORKER_ENTRY } from '../../../electron/api/workbench.ts';
import { openStore, type Store } from '../../../electron/store/index.ts';
import { OWNER_GONE_MS, ownerGoneReason } from '../../../electron/store/runs-repo.ts';
import { ApiError } from '../../../shared/contract.ts';

const freshStore = () => openStore(mkdtempSync(join(tmpdir(), 'moe-owner-')));
const newRun = (store: Store) => store.runs.create({ kind: 'expert', name: 'e', config: { type: 'expert', dataset: 'd' }, seed: 1, backend: 'wasm', versions: {}, datasetVersionIds: [] });
const setOwner = (store: Store, id: number, pid: number | null, ownerId: string | null, beat: string | null, status = 'running') =>
  store.db.prepare('UPDATE runs SET owner_pid = ?, owner_id = ?, heartbeat_at = ?, status = ? WHERE id = ?').run(pid, ownerId, beat, status, id);

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));
/** A live process that is not this one. */
function liveOther(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

describe('run ownership', () => {
  it('a run is owned by this process from creation, with a heartbeat', () => {
    const store = freshStore();
    const run = newRun(store);
    expect(run).toMatchObject({ status: 'queued', ownerPid: process.pid, ownerId: store.runs.owner.id });
    expect(run.ownerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(run.heartbeatAt!)).toBeLessThan(5_000);
    store.close();
  });

  it('the owner is gone only when provably so', () => {
    const me = { pid: 100, id: 'me' };
    const now = Date.parse('2026-01-01T01:00:00Z');
    const fresh = new Date(now - 1_000).toISOString();
    const old = new Date(now - OWNER_GONE_MS - 1).toISOString();
    const alive = (pid: number) => pid === 100 || pid === 200;
    expect(ownerGoneReason({ owner_pid: 100, owner_id: 'me', heartbeat_at: old }, me, now, alive)).toBeNull();
    expect(ownerGoneReason({ owner_pid: 100, owner_id: 'before', heartbeat_at: fresh }, me, now, alive)).toMatch(/pid now belongs to another process/);
    expect(ownerGoneReason({ owner_pid: 200, owner_id: 'x', heartbeat_at: fresh }, me, now, alive)).toBeNull();
    expect(ownerGoneReason({ owner_pid: 200, owner_id: null, heartbeat_at: fresh }, me, now, alive)).toBeNull();
    expect(ownerGoneReason({ owner_pid: 200, owner_id: 'x', heartbeat_at: old }, me, now, alive)).toMatch(/has not reported for over 5 minutes/);
    expect(ownerGoneReason({ owner_pid: 300, owner_id: 'x', heartbeat_at: fresh }, me, now, alive)).toMatch(/pid 300\) stopped/);
    expect(ownerGoneReason({ owner_pid: null, owner_id: null, heartbeat_at: null }, me, now, alive)).toMatch(/no owning process/);
  });

  it('recovery leaves queued and running runs of a live owner alone and marks the rest interrupted', () => {
    const store = freshStore();
    const other = liveOther();
    const beat = new Date().toISOString();
    const mineQueued = newRun(store);
    const otherQueued = newRun(store);
    setOwner(store, otherQueued.id, other, 'other', beat, 'queued');
    const otherRunning = newRun(store);
    setOwner(store, otherRunning.id, other, 'other', beat, 'running');
    const dead = newRun(store);
    setOwner(store, dead.id, deadPid(), 'dead', beat);
    const reused = newRun(store);
    setOwner(store, reused.id, process.pid, 'an earlier process', beat);
    const silent = newRun(store);
    setOwner(store, silent.id, other, 'other', new Date(Date.now() - OWNER_GONE_MS - 60_000).toISOString());
    const legacy = newRun(store);
    setOwner(store, legacy.id, null, null, null, 'queued');
    expect(store.runs.recoverInterrupted().sort((a, b) => a - b)).toEqual([dead.id, reused.id, silent.id, legacy.id]);
    const status = (id: number) => store.runs.get(id)!.status;
    expect([mineQueued, otherQueued, otherRunning].map((r) => status(r.id))).toEqual(['queued', 'queued', 'running']);
    expect(store.runs.get(dead.id)!.error).toMatch(/^interrupted: its process \(pid \d+\) stopped before it finished$/);
    // A second pass (another process opening the store) changes nothing more.
    expect(store.runs.recoverInterrupted()).toEqual([]);
    store.close();
  });

  it("the host's heartbeat timer refreshes its runs without any progress event", async () => {
    const store = freshStore();
    const training = new Training(store, new EventBus(), new JobRunner(DEFAULT_WORKER_ENTRY, 1), { backend: 'wasm', versions: {} }, 20);
    const run = newRun(store);
    const foreign = newRun(store);
    const stale = '2020-01-01T00:00:00.000Z';
    setOwner(store, run.id, process.pid, store.runs.owner.id, stale, 'running');
    setOwner(store, foreign.id, liveOther(), 'other', stale, 'running');
    await new Promise((r) => setTimeout(r, 120));
    expect(Date.parse(store.runs.get(run.id)!.heartbeatAt!)).toBeGreaterThan(Date.now() - 5_000);
    expect(store.runs.get(foreign.id)!.heartbeatAt).toBe(stale);
    training.close();
    store.close();
  });

  it('resume refuses a run whose owner is alive, and claims a stopped run exactly once', () => {
    const store = freshStore();
    const training = new Training(store, new EventBus(), new JobRunner(DEFAULT_WORKER_ENTRY, 1), { backend: 'wasm', versions: {} });
    const run = newRun(store);
    const other = liveOther();
    setOwner(store, run.id, other, 'other', new Date().toISOString(), 'running');
    const error = (() => {
      try {
        training.resume(run.id);
        return null;
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.code).toBe('conflict');
    expect(error!.message).toMatch(new RegExp(`run ${run.id} is running in another process \\(pid ${other}, last heartbeat \\d+ s ago\\); wait for it to finish, or cancel it there`));
    expect(store.runs.get(run.id)!.status).toBe('running');
    store.runs.finish(run.id, 'failed', { error: 'x' });
    expect(store.runs.claim(run.id)).toBe(true);
    expect(store.runs.claim(run.id)).toBe(false);
    expect(store.runs.get(run.id)).toMatchObject({ status: 'queued', ownerPid: process.pid, ownerId: store.runs.owner.id });
    training.close();
    store.close();
  });
});
