// Two small experts of different modalities (texture, recommendation) trained in-process and
// saved, ready to assemble: the common starting point of the store-logging and predict benches.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssemblyConfig, ExpertConfig } from '../../shared/config.ts';
import type { DomainKind } from '../../shared/domain.ts';
import { assemble, trainExpert, type AssemblyJob } from '../../electron/engine/training/jobs.ts';
import { loadSample, silentHooks } from './samples.ts';

export async function assemblyJob(kinds: DomainKind[], overrides: Partial<AssemblyConfig> = {}): Promise<AssemblyJob> {
  const experts = [];
  for (const [i, kind] of kinds.entries()) {
    const dataset = await loadSample(kind);
    const result = await trainExpert({ config: ExpertConfig.parse({ dataset: dataset.name, epochs: 2, seed: 1 }), dataset }, silentHooks, new AbortController().signal);
    const dir = join(mkdtempSync(join(tmpdir(), 'bench-expert-')), 'model');
    await result.save(dir);
    experts.push({ runId: i + 1, dir, dataset });
  }
  const config = AssemblyConfig.parse({ experts: experts.map((e) => e.runId), top_k: Math.min(2, kinds.length), epochs: 2, seed: 1, ...overrides });
  return { config, experts };
}

export async function trainedAssemblyDir(kinds: DomainKind[]): Promise<string> {
  const job = await assemblyJob(kinds, { epochs: 1 });
  const result = await assemble(job, silentHooks, new AbortController().signal);
  const dir = join(mkdtempSync(join(tmpdir(), 'bench-assembly-')), 'model');
  await result.save(dir);
  return dir;
}
