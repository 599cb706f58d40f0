// The JSON the CLI prints for a finished expert or assembly run, built from its stored record.
import type { RunDetail } from '../../shared/contract.ts';

export function runJson(run: RunDetail): Record<string, unknown> {
  const result = (run.result ?? {}) as Record<string, unknown>;
  const base = { id: run.id, kind: run.kind, status: run.status, error: run.error ?? undefined };
  if (run.config.type === 'assembly') {
    return {
      ...base,
      parent: run.parent,
      experts: run.config.experts,
      datasets: run.datasets,
      metrics: result.metrics ?? null,
      baselines: result.baselines ?? null,
      routing: result.routing ?? null,
      retention: result.retention ?? null,
      router: result.router ?? null,
    };
  }
  if (run.config.type === 'anchor') {
    // The experts trained against the anchor are its children.
    return { ...base, datasets: run.config.datasets, modality: result.modality ?? null, metrics: result.metrics ?? null, epochs_run: result.epochsRun ?? null, experts: run.children };
  }
  return { ...base, dataset: run.config.dataset ?? run.datasets[0], anchor: run.config.anchor ?? null, metrics: result.metrics ?? null, epochs_run: result.epochsRun ?? null };
}

export function runText(run: RunDetail): string {
  const json = runJson(run);
  const lines = [`run ${run.id} (${run.kind}) ${run.status}${run.error ? `: ${run.error}` : ''}`];
  const metrics = json.metrics as { test?: Record<string, unknown> } | null;
  if (metrics?.test) lines.push(`  test: ${JSON.stringify(metrics.test)}`);
  if (json.routing) lines.push(`  routing: ${JSON.stringify(json.routing)}`);
  if (json.router) lines.push(`  router: ${JSON.stringify(json.router)}`);
  if (typeof json.anchor === 'number') lines.push(`  anchor: run ${json.anchor} (encoder shared, frozen)`);
  if (run.config.type === 'anchor') lines.push(`  anchor of ${JSON.stringify(json.datasets)}; experts trained against it: ${(json.experts as number[]).join(', ') || '-'}`);
  const before = (run.result as { before?: unknown } | null)?.before;
  if (before) lines.push(`  before: ${JSON.stringify(before)}`);
  return lines.join('\n');
}
