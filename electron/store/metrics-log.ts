// Metric points and routing statistics. Training logs through a buffer that is flushed in one
// transaction with prepared statements (never one write per point); the latest value of each
// metric is kept in its own table in the same transaction, so listings never scan raw points.
import type { Statement } from 'better-sqlite3';
import { writeTransaction, type Db } from './database.ts';

export interface RoutingRow {
  step: number;
  split: string;
  domain: string;
  domainIndex: number;
  expert: number;
  expertName: string;
  top1: number;
  topk: number;
  meanProb: number;
  dropped: number;
}

interface PendingMetric { runId: number; key: string; step: number; value: number; time: number }

/** NaN has no SQLite representation: it is stored as NULL and read back as NaN. */
const toSql = (v: number): number | null => (Number.isNaN(v) ? null : v);
const fromSql = (v: number | null): number => (v === null ? Number.NaN : v);

export class MetricsLog {
  private readonly db: Db;
  private readonly keyIds = new Map<string, number>();
  private metrics: PendingMetric[] = [];
  private routing: { runId: number; row: RoutingRow }[] = [];
  private readonly insertMetric: Statement;
  private readonly upsertLatest: Statement;
  private readonly insertRouting: Statement;
  private readonly insertKey: Statement;
  private readonly selectKey: Statement;

  constructor(db: Db) {
    this.db = db;
    this.insertMetric = db.prepare('INSERT INTO metrics (run_id, key_id, step, value, time) VALUES (?, ?, ?, ?, ?)');
    this.upsertLatest = db.prepare(
      `INSERT INTO latest_metrics (run_id, key_id, step, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, key_id) DO UPDATE SET step = excluded.step, value = excluded.value WHERE excluded.step >= latest_metrics.step`,
    );
    this.insertRouting = db.prepare(
      'INSERT INTO routing_stats (run_id, step, split, domain, domain_index, expert, expert_name, top1, topk, mean_prob, dropped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertKey = db.prepare('INSERT OR IGNORE INTO metric_keys (key) VALUES (?)');
    this.selectKey = db.prepare('SELECT id FROM metric_keys WHERE key = ?');
  }

  log(runId: number, step: number, values: Record<string, number>): void {
    const time = Date.now() / 1000;
    for (const [key, value] of Object.entries(values)) this.metrics.push({ runId, key, step, value, time });
  }

  logRouting(runId: number, rows: RoutingRow[]): void {
    for (const row of rows) this.routing.push({ runId, row });
  }

  get pending(): number {
    return this.metrics.length + this.routing.length;
  }

  /** Writes everything buffered in one transaction. */
  flush(): void {
    if (this.pending === 0) return;
    const metrics = this.metrics;
    const routing = this.routing;
    this.metrics = [];
    this.routing = [];
    try {
      writeTransaction(this.db, () => {
        for (const m of metrics) {
          const keyId = this.keyId(m.key);
          const value = toSql(m.value);
          this.insertMetric.run(m.runId, keyId, m.step, value, m.time);
          this.upsertLatest.run(m.runId, keyId, m.step, value);
        }
        for (const { runId, row: r } of routing) {
          this.insertRouting.run(runId, r.step, r.split, r.domain, r.domainIndex, r.expert, r.expertName, r.top1, r.topk, r.meanProb, r.dropped);
        }
      });
    } catch (error) {
      // Nothing was written: keep the points for the next flush; key ids may have rolled back.
      this.metrics = metrics.concat(this.metrics);
      this.routing = routing.concat(this.routing);
      this.keyIds.clear();
      throw error;
    }
  }

  private keyId(key: string): number {
    const cached = this.keyIds.get(key);
    if (cached !== undefined) return cached;
    this.insertKey.run(key);
    const id = (this.selectKey.get(key) as { id: number }).id;
    this.keyIds.set(key, id);
    return id;
  }

  /** Latest value of every metric of every run (or of the given runs). */
  latestByRun(runIds?: number[]): Map<number, Record<string, number>> {
    const rows = (
      runIds
        ? this.db.prepare(`SELECT l.run_id, k.key, l.value FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id WHERE l.run_id IN (${runIds.map(() => '?').join(',') || 'NULL'})`).all(...runIds)
        : this.db.prepare('SELECT l.run_id, k.key, l.value FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id').all()
    ) as { run_id: number; key: string; value: number | null }[];
    const out = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const m = out.get(r.run_id) ?? {};
      m[r.key] = fromSql(r.value);
      out.set(r.run_id, m);
    }
    return out;
  }

  series(runId: number, keys?: string[]): { key: string; points: { step: number; value: number }[] }[] {
    const rows = this.db
      .prepare('SELECT k.key, m.step, m.value FROM metrics m JOIN metric_keys k ON k.id = m.key_id WHERE m.run_id = ? ORDER BY k.key, m.step, m.rowid')
      .all(runId) as { key: string; step: number; value: number | null }[];
    const wanted = keys ? new Set(keys) : null;
    const out = new Map<string, { step: number; value: number }[]>();
    for (const r of rows) {
      if (wanted && !wanted.has(r.key)) continue;
      const pts = out.get(r.key) ?? [];
      pts.push({ step: r.step, value: fromSql(r.value) });
      out.set(r.key, pts);
    }
    return [...out].map(([key, points]) => ({ key, points }));
  }

  routingRows(runId: number, split?: string): RoutingRow[] {
    const rows = this.db
      .prepare(
        `SELECT step, split, domain, domain_index AS domainIndex, expert, expert_name AS expertName, top1, topk, mean_prob AS meanProb, dropped
         FROM routing_stats WHERE run_id = ? ${split ? 'AND split = ?' : ''} ORDER BY step, split, domain_index, expert`,
      )
      .all(...(split ? [runId, split] : [runId])) as RoutingRow[];
    return rows;
  }
}
