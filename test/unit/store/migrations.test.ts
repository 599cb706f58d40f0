// Migrations: a fresh database reaches the latest version; each step runs on a database of the
// previous version with rows in it; a database from a newer app is refused untouched.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/store/database.ts';
import { LATEST_VERSION, MIGRATIONS, migrate, NewerDatabaseError, type Migration } from '../../../electron/store/migrations/index.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'moe-store-')), 'workbench.db');

describe('migrations', () => {
  it('brings a new database to the latest version with every table', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['artifacts', 'dataset_versions', 'datasets', 'latest_metrics', 'metric_keys', 'metrics', 'routing_stats', 'run_datasets', 'runs']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration N -> N+1 (a test migration) keeps seeded rows, backs the file up, and runs in a transaction', () => {
    const file = tempFile();
    const db = new Database(file);
    migrate(db, file, MIGRATIONS, LATEST_VERSION);
    db.prepare("INSERT INTO runs (kind, status, name, config, seed, backend, versions, created_at) VALUES ('expert','completed','r','{}',1,'wasm','{}','t')").run();
    const addColumn: Migration = { version: LATEST_VERSION + 1, name: 'add note', up: (d) => d.exec('ALTER TABLE runs ADD COLUMN note TEXT') };
    const backup = migrate(db, file, [...MIGRATIONS, addColumn]);
    expect(backup).toBe(`${file}.v${LATEST_VERSION}.bak`);
    expect(existsSync(backup!)).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    expect(db.prepare('SELECT name, note FROM runs').all()).toEqual([{ name: 'r', note: null }]);
    db.close();
  });

  it('migration 1 -> 2 (run owner, dataset file hashes) keeps seeded runs and versions, with no owner id and no file list, and adds the status index', () => {
    const file = tempFile();
    const db = new Database(file);
    migrate(db, file, MIGRATIONS, 1);
    const insert = db.prepare('INSERT INTO runs (kind, status, name, config, seed, backend, versions, created_at, owner_pid, heartbeat_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)');
    insert.run('expert', 'running', 'a', '{"x":1}', 'wasm', '{}', '2026-01-01T00:00:00.000Z', 4242, '2026-01-01T00:00:01.000Z');
    insert.run('assembly', 'queued', 'b', '{}', 'cpu', '{"node":"24"}', '2026-01-02T00:00:00.000Z', null, null);
    db.prepare("INSERT INTO datasets (name, kind, created_at) VALUES ('sms', 'semantics', 't')").run();
    db.prepare("INSERT INTO dataset_versions (dataset_id, hash, split_seed, format, source, dir, counts, labels, warnings, stats, preview, created_at) VALUES (1, 'abc', 42, 'csv', '/x.csv', 'datasets/abc-s42', '{}', '[]', '[]', '{}', '[]', 't')").run();
    const before = db.prepare('SELECT * FROM runs ORDER BY id').all();
    const versionsBefore = db.prepare('SELECT * FROM dataset_versions').all();
    expect(migrate(db, file, MIGRATIONS, 2)).toBe(`${file}.v1.bak`);
    expect((db.prepare('SELECT * FROM dataset_versions').all() as Record<string, unknown>[]).map(({ files, ...rest }) => [rest, files])).toEqual([[versionsBefore[0], null]]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const after = db.prepare('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map(({ owner_id: _o, ...rest }) => rest)).toEqual(before);
    expect(after.map((r) => r.owner_id)).toEqual([null, null]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_status'").get()).toEqual({ name: 'runs_by_status' });
    db.close();
  });

  it('migration 2 -> 3 (anchor runs) rebuilds runs with every row, link and index kept, accepts kind anchor, and leaves foreign keys on and enforced', () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS, 2);
    const insert = db.prepare('INSERT INTO runs (kind, status, name, config, seed, backend, versions, parent_id, replay_of, created_at, owner_pid, owner_id, result) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('expert', 'completed', 'a', '{"x":1}', 'wasm', '{}', null, null, '2026-01-01T00:00:00.000Z', 4242, 'owner-a', '{"metrics":{}}');
    insert.run('assembly', 'running', 'b', '{}', 'cpu', '{"node":"24"}', 1, null, '2026-01-02T00:00:00.000Z', null, null, null);
    insert.run('replay', 'failed', 'c', '{}', 'cpu', '{}', null, 1, '2026-01-03T00:00:00.000Z', null, null, null);
    db.prepare("INSERT INTO datasets (name, kind, created_at) VALUES ('sms', 'semantics', 't')").run();
    db.prepare("INSERT INTO dataset_versions (dataset_id, hash, split_seed, format, source, dir, counts, labels, warnings, stats, preview, created_at) VALUES (1, 'abc', 42, 'csv', '/x.csv', 'd', '{}', '[]', '[]', '{}', '[]', 't')").run();
    db.prepare('INSERT INTO run_datasets (run_id, dataset_version_id) VALUES (1, 1), (2, 1)').run();
    db.prepare("INSERT INTO metric_keys (key) VALUES ('train/loss')").run();
    db.prepare('INSERT INTO metrics (run_id, key_id, step, value, time) VALUES (1, 1, 1, 0.5, 0), (2, 1, 1, 0.25, 0)').run();
    const before = db.prepare('SELECT * FROM runs ORDER BY id').all();
    const indexesBefore = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name").all();
    expect(() => db.prepare("INSERT INTO runs (kind, status, name, config, seed, backend, versions, created_at) VALUES ('anchor','queued','x','{}',1,'cpu','{}','t')").run()).toThrow(/CHECK constraint/);

    expect(migrate(db, file, MIGRATIONS, 3)).toBe(`${file}.v2.bak`);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT * FROM runs ORDER BY id').all()).toEqual(before);
    expect(db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name").all()).toEqual(indexesBefore);
    expect(indexesBefore.map((i) => (i as { name: string }).name)).toEqual(['runs_by_kind_status', 'runs_by_status']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'new_runs'").get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The new kind is accepted, an unknown one still refused, and the links still enforced.
    db.prepare("INSERT INTO runs (kind, status, name, config, seed, backend, versions, created_at) VALUES ('anchor','queued','x','{}',1,'cpu','{}','t')").run();
    expect(() => db.prepare("INSERT INTO runs (kind, status, name, config, seed, backend, versions, created_at) VALUES ('bogus','queued','x','{}',1,'cpu','{}','t')").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare("INSERT INTO runs (kind, status, name, config, seed, backend, versions, parent_id, created_at) VALUES ('expert','queued','x','{}',1,'cpu','{}',99,'t')").run()).toThrow(/FOREIGN KEY/);
    // Cascades from the other tables to the rebuilt runs still work.
    db.prepare('DELETE FROM runs WHERE id = 3').run();
    db.prepare('UPDATE runs SET parent_id = NULL WHERE id = 2').run();
    db.prepare('DELETE FROM runs WHERE id = 2').run();
    expect(db.prepare('SELECT run_id FROM run_datasets ORDER BY run_id').all()).toEqual([{ run_id: 1 }]);
    expect(db.prepare('SELECT run_id FROM metrics ORDER BY run_id').all()).toEqual([{ run_id: 1 }]);
    db.close();
  });

  it('two connections migrating one new file at once both end at the latest version', () => {
    const file = tempFile();
    const a = new Database(file);
    const b = new Database(file);
    migrate(a, file, MIGRATIONS, 1);
    // b read version 0 before a migrated: each step re-reads the version inside its transaction.
    migrate(b, file);
    migrate(a, file);
    expect(a.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    a.close();
    b.close();
  });

  it('a failing migration leaves the database at its previous version', () => {
    const file = tempFile();
    const db = new Database(file);
    migrate(db, file);
    const broken: Migration = { version: LATEST_VERSION + 1, name: 'broken', up: (d) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom'); } };
    expect(() => migrate(db, file, [...MIGRATIONS, broken])).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database written by a newer app', () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(NewerDatabaseError);
    expect(() => openDatabase(file)).toThrow(/newer MoE Workbench/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    again.close();
  });

  it('refuses a registry out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, ':memory:', [{ version: 2, name: 'x', up: () => {} }])).toThrow(/out of order/);
  });
});
