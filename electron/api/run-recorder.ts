// Turns one run's worker messages into store writes and UI events. Metric points and routing
// rows are buffered by the store's MetricsLog and flushed in one transaction at most every
// FLUSH_MS (and at the end), so logging every step costs little; the heartbeat rides along.
import type { RoutingSnapshot } from '../../shared/contract.ts';
import type { RoutingStats } from '../engine/model/moe/routing-stats.ts';
import type { Store, RoutingRow } from '../store/index.ts';
import type { EventBus } from './events.ts';
import { hashTree } from './fs-atomic.ts';
import type { WorkerMessage } from './jobs/messages.ts';

export const FLUSH_MS = 500;

export function routingRows(step: number, split: string, domains: string[], experts: string[], stats: RoutingStats): RoutingRow[] {
  const rows: RoutingRow[] = [];
  domains.forEach((domain, d) => {
    experts.forEach((expertName, e) => {
      rows.push({ step, split, domain, domainIndex: d, expert: e, expertName, top1: stats.top1[d][e], topk: stats.topk[d][e], meanProb: stats.meanProb[d][e], dropped: stats.dropped[d] });
    });
  });
  return rows;
}

export function snapshotOf(step: number, split: string, domains: string[], experts: string[], stats: RoutingStats): RoutingSnapshot {
  return { step, split, domains, experts, top1: stats.top1, topk: stats.topk, meanProb: stats.meanProb, dropped: stats.dropped };
}

export class RunRecorder {
  private readonly store: Store;
  private readonly events: EventBus;
  private readonly runId: number;
  private readonly expertNames: string[];
  private lastFlush = Date.now();

  constructor(store: Store, events: EventBus, runId: number, expertNames: string[]) {
    this.store = store;
    this.events = events;
    this.runId = runId;
    this.expertNames = expertNames;
  }

  async onMessage(m: WorkerMessage): Promise<void> {
    switch (m.type) {
      case 'progress':
        this.events.emit('run.progress', { id: this.runId, ...m.progress });
        break;
      case 'metrics':
        this.store.metrics.log(this.runId, m.step, m.values);
        break;
      case 'routing': {
        const experts = this.expertNames.length === m.stats.load.length ? this.expertNames : m.stats.load.map((_, i) => `expert ${i}`);
        this.store.metrics.logRouting(this.runId, routingRows(m.step, m.split, m.domains, experts, m.stats));
        this.events.emit('run.routing', { id: this.runId, ...snapshotOf(m.step, m.split, m.domains, experts, m.stats) });
        break;
      }
      case 'checkpoint': {
        this.flush();
        this.store.runs.setCheckpoint(this.runId, { dir: m.dir, epoch: m.epoch });
        const files = await hashTree(m.dir, this.store.home.root);
        this.store.artifacts.replace(this.runId, 'checkpoint', files.map((f) => ({ kind: 'checkpoint', ...f })));
        break;
      }
      default:
        break;
    }
    if (Date.now() - this.lastFlush >= FLUSH_MS) this.flush();
  }

  flush(): void {
    this.store.metrics.flush();
    this.store.runs.heartbeat(this.runId);
    this.lastFlush = Date.now();
  }

  async recordModel(modelDir: string): Promise<void> {
    const files = await hashTree(modelDir, this.store.home.root);
    this.store.artifacts.replace(this.runId, 'model', files.map((f) => ({ kind: 'model', ...f })));
  }
}
