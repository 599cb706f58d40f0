// The JSON the CLI prints for a finished expert or assembly run, built from its stored record.
import type { RunDetail } from '../../shared/contract.ts';

export function runJson(run: RunDetail): Record<string, unknown> {
  const result = run.result;
  const base = { id: run.id, kind: run.kind, status: run.status, error: run.error ?? undefined };
  // An imported model carries its source's test metrics, per dataset.
  const imported = result?.type === 'import' ? { test: result.test } : null;
  if (run.config.type === 'assembly') {
    const a = result?.type === 'assembly' ? result : null;
    return {
      ...base,
      parent: run.parent,
      experts: run.config.experts,
      datasets: run.datasets,
      metrics: a?.metrics ?? imported,
      baselines: a?.baselines ?? null,
      routing: a?.routing ?? null,
      retention: a?.retention ?? null,
      router: a?.router ?? null,
      workers: a?.workers ?? null,
    };
  }
  if (run.config.type === 'anchor') {
    // The experts trained against the anchor are its children.
    const an = result?.type === 'anchor' ? result : null;
    return { ...base, datasets: run.config.datasets, modality: an?.modality ?? null, metrics: an?.metrics ?? null, epochs_run: an?.epochsRun ?? null, experts: run.children };
  }
  const e = result?.type === 'expert' ? result : null;
  return { ...base, dataset: run.config.dataset ?? run.datasets[0], anchor: run.config.anchor ?? null, metrics: e?.metrics ?? imported, epochs_run: e?.epochsRun ?? null };
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
  if (run.result?.type === 'assembly' && run.result.before) lines.push(`  before: ${JSON.stringify(run.result.before)}`);
  if (run.result?.type === 'unreadable') lines.push(`  result: ${run.result.reason}`);
  return lines.join('\n');
}
