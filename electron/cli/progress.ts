// Progress bars for long work on a terminal (none with --json or when stdout is not a TTY).
import cliProgress from 'cli-progress';
import type { ApiClient } from '../../shared/client.ts';

export function showProgress(client: ApiClient, enabled: boolean, labelOf: (id: number) => string): () => void {
  if (!enabled || !process.stderr.isTTY) return () => {};
  const multi = new cliProgress.MultiBar(
    { format: '{label} |{bar}| {percentage}% {phase} epoch {epoch} {metrics} {rate}/s eta {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<number, cliProgress.SingleBar>();
  const off = client.on('run.progress', (p) => {
    const total = Math.max(1, p.epochs * p.steps);
    const value = Math.min(total, (p.epoch - 1) * p.steps + p.step);
    const metrics = Object.entries(p.metrics).slice(0, 2).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
    const payload = { label: labelOf(p.id), phase: p.phase, epoch: `${p.epoch}/${p.epochs}`, metrics, rate: Math.round(p.samplesPerSec) };
    let bar = bars.get(p.id);
    if (!bar) {
      bar = multi.create(total, value, payload);
      bars.set(p.id, bar);
    }
    bar.setTotal(total);
    bar.update(value, payload);
  });
  return () => {
    off();
    multi.stop();
  };
}
