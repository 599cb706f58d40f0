// `train expert --anchor` through the real CLI: one text anchor run trained on both datasets,
// then each expert against it; the resolved configs and the lineage are recorded (the expert's
// config names the anchor, the anchor lists its experts as children), `runs show` links them both
// ways, an export of an expert records its anchor, and bad combinations are refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, SAMPLES, tempHome } from './cli-helpers.ts';

const home = tempHome();
const ok = async (args: string[], json = true) => {
  const r = await cli(home, json ? [...args, '--json'] : args);
  if (r.code !== 0) throw new Error(`moe-workbench ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return json ? r.json : r.stdout;
};

interface RunDoc { id: number; kind: string; status: string; anchor?: number | null; datasets?: string[]; experts?: number[]; metrics: { test: Record<string, unknown> } | null }
let trained: { anchors: RunDoc[]; experts: RunDoc[] };

beforeAll(async () => {
  await ok(['datasets', 'add', join(SAMPLES, 'semantics', 'spam-ham.csv'), '--kind', 'semantics', '--name', 'spam']);
  await ok(['datasets', 'add', join(SAMPLES, 'syntax', 'brown-upos.conllu'), '--kind', 'syntax', '--name', 'tags']);
  trained = (await ok(['train', 'expert', '--dataset', 'spam', 'tags', '--anchor', '--epochs', '1', '--seed', '7'])) as typeof trained;
}, 600_000);

describe('train expert --anchor', () => {
  it('trains one anchor for the text modality, then both experts against it', () => {
    expect(trained.anchors).toHaveLength(1);
    const [anchor] = trained.anchors;
    expect(anchor).toMatchObject({ kind: 'anchor', status: 'completed', datasets: ['spam', 'tags'] });
    expect(Object.keys(anchor.metrics!.test).sort()).toEqual(['spam', 'tags']);
    expect(trained.experts.map((e) => [e.kind, e.status, e.anchor])).toEqual([
      ['expert', 'completed', anchor.id],
      ['expert', 'completed', anchor.id],
    ]);
    expect(anchor.experts).toEqual(trained.experts.map((e) => e.id));
  });

  it('records the resolved configs and the lineage, and runs show links both ways', async () => {
    const anchorId = trained.anchors[0].id;
    const anchor = (await ok(['runs', 'show', String(anchorId)])) as { config: { type: string; datasets: string[]; seed: number; model: { text_buckets: number | null; dim: number | null } }; children: number[] };
    expect(anchor.config).toMatchObject({ type: 'anchor', datasets: ['spam', 'tags'], seed: 7 });
    // The resolved config: derived sizes are recorded, not left null.
    expect(anchor.config.model.text_buckets).toBeGreaterThanOrEqual(4096);
    expect(anchor.config.model.dim).toBe(64);
    expect(anchor.children).toEqual(trained.experts.map((e) => e.id));
    for (const e of trained.experts) {
      const shown = (await ok(['runs', 'show', String(e.id)])) as { parent: number | null; anchor: number; config: { anchor: number; model: { text_buckets: number } } };
      expect(shown.config.anchor).toBe(anchorId);
      expect(shown.anchor).toBe(anchorId);
      expect(shown.parent).toBe(anchorId);
      expect(shown.config.model.text_buckets).toBe(anchor.config.model.text_buckets);
      const text = (await ok(['runs', 'show', String(e.id)], false)) as string;
      expect(text).toContain(`anchor: run ${anchorId}`);
    }
    const text = (await ok(['runs', 'show', String(anchorId)], false)) as string;
    expect(text).toContain(`experts trained against it: ${trained.experts.map((e) => e.id).join(', ')}`);
    const list = (await ok(['runs', 'list', '--kind', 'anchor'])) as { id: number }[];
    expect(list.map((r) => r.id)).toEqual([anchorId]);
  });

  it('an export of an anchored expert records its anchor', async () => {
    const dir = join(home, 'export-spam');
    await ok(['export', String(trained.experts[0].id), dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { anchor: { run: number; datasets: { name: string }[]; model: { path: string }[] }; model: { anchor: number } };
    expect(manifest.anchor.run).toBe(trained.anchors[0].id);
    expect(manifest.anchor.datasets.map((d) => d.name)).toEqual(['spam', 'tags']);
    expect(manifest.anchor.model.map((m) => m.path)).toContain('model.json');
    expect(manifest.model.anchor).toBe(trained.anchors[0].id);
  });

  it('refuses --anchor with --tune, and --anchor-datasets without --anchor', async () => {
    const tune = await cli(home, ['train', 'expert', '--dataset', 'spam', '--anchor', '--tune', '--json']);
    expect(tune.code).not.toBe(0);
    expect(tune.stdout + tune.stderr).toMatch(/--tune does not combine with --anchor/);
    const alone = await cli(home, ['train', 'expert', '--dataset', 'spam', '--anchor-datasets', 'tags', '--json']);
    expect(alone.code).not.toBe(0);
    expect(alone.stdout + alone.stderr).toMatch(/--anchor-datasets needs --anchor/);
  });
});
