// `npm run bench -- transfer`: does mixing experts carry knowledge from a big domain to a small
// related one (issue 10)? For each pair of Brown corpus genre groups (tagging, UPOS), the small
// domain keeps 10% of its training and validation splits (a seeded choice; its test split whole),
// the big one all of its data. One text anchor is trained on both training splits, each domain's
// expert against it (frozen), and the two are assembled (joint router, default settings). Reported
// per pair: the small domain's test accuracy from its own anchored expert, from the assembly, and
// from a standalone expert with its own encoder on the same 10%; the gain is assembly minus the
// small domain's own anchored expert, in accuracy points. Nothing is tuned on the test split: every
// setting is a default, the anchor's and experts' epochs are the expert default.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorConfig, AssemblyConfig, ExpertConfig } from '../shared/config.ts';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { loadDataset } from '../electron/engine/datasets/load.ts';
import { prepareDataset } from '../electron/engine/datasets/prepare.ts';
import { SPLIT_CODE, type AnyLoadedDataset } from '../electron/engine/datasets/types.ts';
import { createRng, deriveSeed, permutation } from '../electron/engine/rng.ts';
import { silentHooks } from '../electron/engine/training/hooks.ts';
import { assemble, trainAnchor, trainExpert } from '../electron/engine/training/jobs.ts';
import { brownGenre } from './lib/real-datasets.ts';
import { registerBench, type BenchRow } from './registry.ts';

/** Genre groups of the Brown corpus (file letter = genre). */
const GROUPS = {
  press: 'abc', // reportage, editorial, reviews
  nonfiction: 'defgh', // religion, skills and hobbies, popular lore, belles lettres, government
  learned: 'j',
  fiction: 'klmnpr', // general, mystery, science fiction, adventure, romance, humour
} as const;
type Group = keyof typeof GROUPS;

/** [small, big]: related genres, the small one cut to SMALL_SHARE. */
const PAIRS: [Group, Group][] = [
  ['fiction', 'press'],
  ['press', 'nonfiction'],
  ['learned', 'nonfiction'],
];
/** Sentences per genre group (before the split): enough for a clear big domain, bounded for 2 CPU cores. */
const SENTENCES = 2000;
/** Share of the small domain's training (and validation) split that it keeps. */
const SMALL_SHARE = 0.1;
const SEED = 42;
/** Codes outside train/validation/test: records the small domain does not have. */
const UNUSED = 3;

/** Keeps a seeded `share` of the dataset's train and validation records (the others are unused). */
function shrink(ds: AnyLoadedDataset, share: number): AnyLoadedDataset {
  const split = Uint8Array.from(ds.split);
  for (const code of [SPLIT_CODE.train, SPLIT_CODE.validation]) {
    const idx = [...split.keys()].filter((i) => split[i] === code);
    const order = permutation(createRng(deriveSeed(SEED, 'transfer-shrink', code)), idx.length);
    const keep = Math.max(1, Math.round(share * idx.length));
    for (let k = keep; k < idx.length; k++) split[idx[order[k]]] = UNUSED;
  }
  return { ...ds, split } as AnyLoadedDataset;
}

const count = (ds: AnyLoadedDataset, code: number): number => ds.split.reduce((a, c) => a + (c === code ? 1 : 0), 0);
const points = (x: number): number => Math.round(x * 10000) / 100;

async function register(root: string, group: Group): Promise<AnyLoadedDataset> {
  const source = brownGenre(group, GROUPS[group], SENTENCES);
  if ('missing' in source) throw new Error(`transfer: ${source.missing}`);
  const dir = join(root, group);
  await mkdir(dir, { recursive: true });
  const prepared = await prepareDataset(source.path, { kind: 'syntax', seed: SEED }, dir);
  if (!prepared.ok) throw new Error(`transfer: ${group} does not register: ${JSON.stringify(prepared.problems.slice(0, 3))}`);
  return loadDataset(dir, group);
}

async function runPair(root: string, smallGroup: Group, bigGroup: Group): Promise<BenchRow> {
  const signal = new AbortController().signal;
  const started = performance.now();
  const small = shrink(await register(join(root, 'data'), smallGroup), SMALL_SHARE);
  const big = await register(join(root, 'data'), bigGroup);
  const dir = join(root, `${smallGroup}-${bigGroup}`);
  const anchor = await trainAnchor({ config: AnchorConfig.parse({ datasets: [small.name, big.name], seed: SEED }), datasets: [small, big] }, silentHooks, signal);
  await anchor.save(join(dir, 'anchor'));
  const experts = [];
  for (const [i, ds] of [small, big].entries()) {
    const r = await trainExpert({ config: ExpertConfig.parse({ dataset: ds.name, seed: SEED, anchor: 1 }), dataset: ds, anchorDir: join(dir, 'anchor') }, silentHooks, signal);
    await r.save(join(dir, ds.name));
    experts.push({ runId: i + 2, dir: join(dir, ds.name), dataset: ds });
  }
  const assembly = await assemble({ config: AssemblyConfig.parse({ experts: [2, 3], seed: SEED }), experts }, silentHooks, signal);
  // The same 10% with an encoder of its own: what the small domain gets without any anchor.
  const standalone = await trainExpert({ config: ExpertConfig.parse({ dataset: small.name, seed: SEED }), dataset: small }, silentHooks, signal);
  const own = assembly.baselines.expert[small.name].accuracy;
  const mixed = assembly.metrics.test[small.name].accuracy;
  return {
    bench: 'transfer',
    small: smallGroup,
    big: bigGroup,
    small_train: count(small, SPLIT_CODE.train),
    big_train: count(big, SPLIT_CODE.train),
    small_test: count(small, SPLIT_CODE.test),
    anchor_small_accuracy: anchor.metrics.test[small.name].accuracy,
    expert_small_accuracy: own,
    assembly_small_accuracy: mixed,
    gain_points: points(mixed - own),
    standalone_small_accuracy: standalone.metrics.test.accuracy,
    gain_vs_standalone_points: points(mixed - standalone.metrics.test.accuracy),
    uniform_small_accuracy: assembly.baselines.uniform[small.name].accuracy,
    big_retention: assembly.retention[big.name],
    small_purity: assembly.routing.purity[small.name],
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

registerBench({
  name: 'transfer',
  description: 'a small Brown genre (10% of its data) next to a big related one: anchored assembly vs the small domain\'s own expert (accuracy points)',
  async run(emit) {
    await initBackend();
    const root = await mkdtemp(join(tmpdir(), 'mw-transfer-'));
    const rows: BenchRow[] = [];
    try {
      for (const [small, big] of PAIRS) {
        const row = await runPair(root, small, big);
        rows.push(row);
        emit(row);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    const gains = rows.map((r) => r.gain_points as number);
    const best = rows[gains.indexOf(Math.max(...gains))];
    emit({
      bench: 'transfer-summary',
      pairs: rows.length,
      pairs_gain_ge_2_points: gains.filter((g) => g >= 2).length,
      best_pair: `${String(best.small)} <- ${String(best.big)}`,
      best_gain_points: best.gain_points as number,
      mean_gain_points: points(gains.reduce((a, b) => a + b, 0) / gains.length / 100),
      goal_met: gains.some((g) => g >= 2),
    });
  },
});
