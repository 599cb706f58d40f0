// An expert trained against a frozen anchor (issue 10): its encoder sizes and weights come from
// the anchor's bundle, so every expert of one anchor encodes its input into the same tokens.
// Freezing itself is the branch trainer's: it leaves the encoder out of the trainable variables.
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
}

/** Reads the encoder of `kind`'s modality from the anchor bundle in `dir`. */
export async function readAnchorEncoder(dir: string, runId: number, kind: DomainKind): Promise<AnchorEncoder> {
  const snap = await readSnapshot(dir);
  if (snap.manifest.kind !== 'anchor') throw new Error(`run ${runId} holds an ${snap.manifest.kind} bundle, not an anchor`);
  const modality = MODALITY_OF[kind];
  const encoder = snap.manifest.encoders.find((e) => e.modality === modality);
  if (encoder === undefined) throw new Error(`anchor run ${runId} has no ${modality} encoder (it encodes ${snap.manifest.encoders.map((e) => e.modality).join(', ')}); a ${kind} expert needs a ${modality} anchor`);
  const weights = new Map<string, WeightEntry>();
  const prefix = `${encoder.component}/`;
  for (const [name, w] of snap.weights) if (name.startsWith(prefix)) weights.set(name.slice(prefix.length), w);
  return { runId, shape: snap.manifest.shape, tasks: snap.manifest.tasks, weights };
}

/**
 * The expert's shape: its own sizes with the anchor's encoder sizes. Exact interaction ids are the
 * anchor's own rows: such an anchor serves only the dataset it was trained on.
 */
export function anchoredShape(own: ModelShape, anchor: AnchorEncoder, dataset: string, modality: string): ModelShape {
  if (modality === 'interaction' && anchor.shape.ids === 'exact' && !anchor.tasks.some((t) => t.name === dataset)) {
    throw new Error(`anchor run ${anchor.runId} has exact id rows for ${anchor.tasks.map((t) => t.name).join(', ')}, not for ${dataset}; train an anchor on ${dataset} (or one with hashed ids)`);
  }
  return withAnchorEncoder(own, anchor.shape);
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
