// An expert trained against a frozen anchor (issue 10): its encoder sizes and weights come from
// the anchor's bundle, so every expert of one anchor encodes its input into the same tokens.
// Freezing itself is the branch trainer's: it leaves the encoder out of the trainable variables.
// Its FFN starts as the anchor's dense FFN (FlexOlmo initializes each expert from the public
// model's FFN): the expert then begins where the anchor's own model is and specializes from
// there. Measured with `npm run bench -- transfer` (three Brown genre pairs): the small domains'
// experts +0.3 to +0.6 accuracy points over a fresh FFN, their assemblies +0.4 to +1.1, the big
// press expert 0.948 -> 0.951 (its anchor: 0.952). The head is the expert's own, from its seed
// as any expert's (with the anchor's seed, where the anchor's head for the domain started): given
// the anchor's trained head as well, every expert of that bench stopped at the anchor itself.
import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from '../../../shared/config.ts';
import { MODALITY_OF, type DomainKind } from '../../../shared/domain.ts';
import { readSnapshot } from '../bundle/load.ts';
import type { ManifestTask } from '../bundle/manifest.ts';
import type { WeightEntry } from '../bundle/weights-file.ts';
import { withAnchorEncoder } from '../model/anchor-model.ts';
import { encoderVariables } from '../model/encoders/encoder.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';

export interface AnchorEncoder {
  /** The anchor run (lineage). */
  runId: number;
  shape: ModelShape;
  tasks: ManifestTask[];
  /** The encoder's variables by parameter name. */
  weights: Map<string, WeightEntry>;
  /** The anchor's dense FFN by parameter name (gamma, beta, w1, b1, w2, b2). */
  ffn: Map<string, WeightEntry>;
}

/** Reads the encoder of `kind`'s modality from the anchor bundle in `dir`. */
export async function readAnchorEncoder(dir: string, runId: number, kind: DomainKind): Promise<AnchorEncoder> {
  const snap = await readSnapshot(dir);
  if (snap.manifest.kind !== 'anchor') throw new Error(`run ${runId} holds an ${snap.manifest.kind} bundle, not an anchor`);
  const modality = MODALITY_OF[kind];
  const encoder = snap.manifest.encoders.find((e) => e.modality === modality);
  if (encoder === undefined) throw new Error(`anchor run ${runId} has no ${modality} encoder (it encodes ${snap.manifest.encoders.map((e) => e.modality).join(', ')}); a ${kind} expert needs a ${modality} anchor`);
  const weights = new Map<string, WeightEntry>();
  const ffn = new Map<string, WeightEntry>();
  const prefix = `${encoder.component}/`;
  for (const [name, w] of snap.weights) {
    if (name.startsWith(prefix)) weights.set(name.slice(prefix.length), w);
    else if (name.startsWith(ANCHOR_FFN_PREFIX)) ffn.set(name.slice(ANCHOR_FFN_PREFIX.length), w);
  }
  return { runId, shape: snap.manifest.shape, tasks: snap.manifest.tasks, weights, ffn };
}

/** Where an anchor bundle keeps its dense FFN (the dense mixer's component). */
const ANCHOR_FFN_PREFIX = 'dense/';

/**
 * The expert's shape: its own sizes with the anchor's encoder sizes, and the anchor's hidden width
 * unless the config sets one (`ownHidden`), so that the expert's FFN is the anchor's to start
 * with. Exact interaction ids are the anchor's own rows: such an anchor serves only the dataset it
 * was trained on.
 */
export function anchoredShape(own: ModelShape, anchor: AnchorEncoder, dataset: string, modality: string, ownHidden: boolean): ModelShape {
  if (modality === 'interaction' && anchor.shape.ids === 'exact' && !anchor.tasks.some((t) => t.name === dataset)) {
    throw new Error(`anchor run ${anchor.runId} has exact id rows for ${anchor.tasks.map((t) => t.name).join(', ')}, not for ${dataset}; train an anchor on ${dataset} (or one with hashed ids)`);
  }
  const shape = withAnchorEncoder(own, anchor.shape);
  return ownHidden ? shape : { ...shape, hidden: anchor.shape.hidden };
}

/** Writes the anchor's encoder into the branch model's (same modality, same sizes). */
export function loadAnchorEncoder(model: MultiTaskModel, anchor: AnchorEncoder): void {
  const encoder = model.encoders[model.taskEncoder[0]];
  for (const [name, v] of Object.entries(encoderVariables(encoder))) {
    const w = anchor.weights.get(name);
    if (w === undefined) throw new Error(`anchor run ${anchor.runId} has no encoder weight ${name}`);
    if (w.shape.join(',') !== v.shape.join(',')) throw new Error(`anchor run ${anchor.runId}: encoder weight ${name} is [${w.shape.join(', ')}], the expert wants [${v.shape.join(', ')}]`);
    tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
  }
}

/**
 * Sets the branch model's FFN to the anchor's dense FFN. Hidden units the two share are copied;
 * an expert set wider keeps its extra units' input weights and gets zero output weights for them
 * (so it still computes the anchor's function at the start); one set narrower keeps the anchor's
 * first units.
 */
export function loadAnchorFfn(model: MultiTaskModel, anchor: AnchorEncoder): void {
  if (model.mixer.kind !== 'single') throw new Error(`an anchored expert has a single FFN, got a ${model.mixer.kind} mixer`);
  const ffn = model.mixer.expert;
  const [dim, hidden] = ffn.w1.shape;
  const own = anchor.ffn.get('b1')?.shape[0] ?? 0;
  const expected: Record<string, number[]> = { gamma: [dim], beta: [dim], w1: [dim, own], b1: [own], w2: [own, dim], b2: [dim] };
  const get = (name: string): Float32Array => {
    const w = anchor.ffn.get(name);
    if (w === undefined) throw new Error(`anchor run ${anchor.runId} has no dense FFN weight ${name}`);
    if (w.shape.join() !== expected[name].join()) throw new Error(`anchor run ${anchor.runId}: dense FFN weight ${name} is [${w.shape.join(', ')}], the expert's width ${dim} wants [${expected[name].join(', ')}]`);
    return w.data;
  };
  // Every weight checked before any is written.
  const [gamma, beta, w1, b1, w2, b2] = ['gamma', 'beta', 'w1', 'b1', 'w2', 'b2'].map(get);
  const shared = Math.min(hidden, own);
  const newW1 = Float32Array.from(ffn.w1.dataSync() as Float32Array);
  const newB1 = new Float32Array(hidden);
  const newW2 = new Float32Array(hidden * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < shared; j++) newW1[i * hidden + j] = w1[i * own + j];
  newB1.set(b1.subarray(0, shared));
  newW2.set(w2.subarray(0, shared * dim));
  tf.tidy(() => {
    ffn.gamma.assign(tf.tensor1d(gamma));
    ffn.beta.assign(tf.tensor1d(beta));
    ffn.w1.assign(tf.tensor2d(newW1, [dim, hidden]));
    ffn.b1.assign(tf.tensor1d(newB1));
    ffn.w2.assign(tf.tensor2d(newW2, [hidden, dim]));
    ffn.b2.assign(tf.tensor1d(b2));
  });
}
