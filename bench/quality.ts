// quality: every real data set within reach offline (bench/lib/real-datasets.ts) and the built-in
// samples, each registered in a fresh workbench home exactly as a user would (seed 42 split); the
// expert trained with default settings and with --tune (QUALITY_TUNE_BUDGET seconds, default 2.5x the
// default training's time, so that a few trials fit on two workers),
// and the standard baseline of its kind fitted by scikit-learn on the SAME split
// (bench/quality_baseline.py reads the registered version folder itself). One JSON line per data
// set; ratio >= 1 means the expert beats the baseline (accuracy: expert / baseline; RMSE:
// baseline / expert). Goals: tuned >= 1.0, default >= 0.98.
// Needs Debian's python3 with scikit-learn: apt-get install python3-sklearn.
// QUALITY_DATASETS=name,name limits the run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOWER_IS_BETTER } from '../shared/domain.ts';
import { BUILT_IN_SAMPLES, DEFAULT_SAMPLES_DIR } from '../electron/api/samples.ts';
import { openWorkbench } from '../electron/api/workbench.ts';
import { REAL_DATASETS } from './lib/real-datasets.ts';
import { registerBench } from './registry.ts';

const PYTHON = '/usr/bin/python3';
const BASELINE = join(import.meta.dirname, 'quality_baseline.py');

interface Candidate {
  name: string;
  kind: (typeof REAL_DATASETS)[number]['kind'];
  source: string;
  path: () => { path: string } | { missing: string };
}

const candidates: Candidate[] = [
  ...REAL_DATASETS.map((d) => ({ name: d.name, kind: d.kind, source: d.source, path: d.build })),
  ...BUILT_IN_SAMPLES.map((s) => ({ name: s.name, kind: s.kind, source: 'built-in sample', path: () => ({ path: join(DEFAULT_SAMPLES_DIR, s.file) }) })),
];

function testMetric(result: Record<string, unknown> | null, metric: string): number {
  const test = (result?.metrics as { test?: Record<string, number> } | undefined)?.test;
  const v = test?.[metric];
  if (v === undefined) throw new Error(`the run has no test ${metric}`);
  return v;
}

registerBench({
  name: 'quality',
  description: 'experts (default and tuned) against the standard scikit-learn baseline of their kind, on the same split',
  async run(emit) {
    if (!existsSync(PYTHON) || spawnFails(['-c', 'import sklearn'])) throw new Error(`quality needs ${PYTHON} with scikit-learn: apt-get install python3-sklearn`);
    const only = process.env.QUALITY_DATASETS?.split(',');
    const fixedBudget = process.env.QUALITY_TUNE_BUDGET === undefined ? null : Number(process.env.QUALITY_TUNE_BUDGET);
    for (const c of candidates.filter((x) => !only || only.includes(x.name))) {
      const input = c.path();
      if ('missing' in input) {
        emit({ bench: 'quality', dataset: c.name, kind: c.kind, skipped: input.missing });
        continue;
      }
      const wb = await openWorkbench({ home: mkdtempSync(join(tmpdir(), `bench-quality-${c.name}-`)) });
      try {
        await wb.handlers['datasets.add']({ path: input.path, kind: c.kind, name: c.name, seed: 42 });
        const version = wb.store.datasets.latest(c.name)!;
        const baseline = JSON.parse(execFileSync(PYTHON, [BASELINE, c.kind, join(wb.store.home.root, version.dir)], { encoding: 'utf8', maxBuffer: 1 << 26 })) as { metric: string; baseline: number; baseline_name: string; baseline_s: number };
        const t0 = performance.now();
        const plain = await wb.training.wait(wb.training.startExpert({ dataset: c.name }).id);
        const trainS = (performance.now() - t0) / 1000;
        if (plain.status !== 'completed') throw new Error(`${c.name}: run ${plain.id} ${plain.status}: ${plain.error}`);
        const budget = fixedBudget ?? Math.max(60, Math.round(2.5 * trainS));
        const t1 = performance.now();
        const tuned = await wb.training.wait(wb.training.startTunedExpert({ config: { dataset: c.name }, budgetSec: budget, maxTrials: 8 }).id);
        const tuneS = (performance.now() - t1) / 1000;
        const expert = testMetric(plain.result, baseline.metric);
        // A tuning that finished no trial in its budget is reported, not fatal to the other data sets.
        const expertTuned = tuned.status === 'completed' ? testMetric(tuned.result, baseline.metric) : null;
        const ratio = (e: number): number => Number((LOWER_IS_BETTER.has(baseline.metric) ? baseline.baseline / e : e / baseline.baseline).toFixed(4));
        const model = plain.config.model as Record<string, unknown>;
        const chosen = (tuned.result?.tune as { chosen: number; trials: { run: number }[] }) ?? null;
        emit({
          bench: 'quality',
          dataset: c.name,
          kind: c.kind,
          source: c.source,
          train_samples: version.counts.train,
          test_samples: version.counts.test,
          metric: baseline.metric,
          expert: Number(expert.toFixed(4)),
          expert_tuned: expertTuned === null ? null : Number(expertTuned.toFixed(4)),
          tune_error: tuned.status === 'completed' ? null : tuned.error,
          baseline: Number(baseline.baseline.toFixed(4)),
          baseline_name: baseline.baseline_name,
          ratio: expertTuned === null ? null : ratio(expertTuned),
          ratio_default: ratio(expert),
          train_s: Number(trainS.toFixed(1)),
          tune_s: Number(tuneS.toFixed(1)),
          tune_budget_s: budget,
          tune_trials: chosen?.trials.length ?? null,
          tuned_config: tuned.status !== 'completed' ? null : `lr ${String(tuned.config.learning_rate)}, epochs ${String(tuned.config.epochs)}, hidden ${String((tuned.config.model as Record<string, unknown>).hidden)}`,
          derived: `dim ${String(model.dim)}, hidden ${String(model.hidden)}, max_tokens ${String(model.max_tokens)}, text_buckets ${String(model.text_buckets)}, ids ${String(model.ids)}`,
          baseline_s: baseline.baseline_s,
          backend: plain.backend,
        });
      } finally {
        await wb.close();
      }
    }
  },
});

function spawnFails(args: string[]): boolean {
  try {
    execFileSync(PYTHON, args, { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
}
