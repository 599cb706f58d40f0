// The demo's results table reads the engine's retention (on each domain's selection metric, its
// first) from the stored assembly result instead of computing its own; other numbers as stored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryRows } from '../../../electron/api/demo.ts';
import { AssemblyRunResult } from '../../../shared/run-results.ts';

const stored = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'run-results', 'stored.json'), 'utf8')) as { assembly: { result: object } };
const result = AssemblyRunResult.parse({ ...stored.assembly.result, type: 'assembly' });

describe('demo summary', () => {
  it('one row per domain and metric, with the engine retention on the selection metric only', () => {
    const rows = summaryRows(['spam-ham', 'ratings'], result);
    expect(rows.map((r) => `${r.domain}.${r.metric}`)).toEqual(['spam-ham.accuracy', 'spam-ham.macro_f1', 'ratings.rmse', 'ratings.mae']);
    expect(rows.map((r) => r.retention)).toEqual([result.retention!['spam-ham'], null, result.retention!.ratings, null]);
    // ratings: rmse, lower is better, so retention is expert / assembly (as the engine stored it).
    expect(rows[2]!.retention).toBeCloseTo(result.baselines.expert.ratings!.rmse! / result.metrics.test.ratings!.rmse!, 12);
    expect(rows[2]).toMatchObject({ assembly: result.metrics.test.ratings!.rmse, expert: result.baselines.expert.ratings!.rmse, dense: result.baselines.dense.ratings!.rmse, purity: result.routing.purity.ratings });
  });
});
