// A model frozen to plain arrays (manifest + weights), and back. Jobs snapshot at each checkpoint
// and at the end, so `save` closures need no live tensors; loading rebuilds the model from a
// snapshot with fresh variables.
import * as tf from '@tensorflow/tfjs';
import type { ExpertParams } from '../model/expert.ts';
import { fromArray } from '../model/init.ts';
import type { EncoderParams } from '../model/encoders/encoder.ts';
import type { HeadParams } from '../model/heads.ts';
import { namedVariables, type Mixer, type MultiTaskModel } from '../model/multitask-model.ts';
import type { TaskSpec } from '../model/task.ts';
import { buildManifest, type BundleManifest, type ManifestMeta } from './manifest.ts';
import type { WeightEntry } from './weights-file.ts';

export interface ModelSnapshot {
  manifest: BundleManifest;
  weights: WeightEntry[];
}

/** Copies of every variable's values, in the model's fixed order. */
export function copyWeights(model: MultiTaskModel): WeightEntry[] {
  return namedVariables(model).map(([name, v]) => ({ name, shape: [...v.shape], data: (v.dataSync() as Float32Array).slice() }));
}

export function snapshotModel(model: MultiTaskModel, meta: ManifestMeta): ModelSnapshot {
  return { manifest: buildManifest(model, meta), weights: copyWeights(model) };
}

/** Writes `weights` into the model's variables (names and shapes must match). */
export function assignWeights(model: MultiTaskModel, weights: readonly WeightEntry[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const [name, v] of namedVariables(model)) {
    const w = byName.get(name);
    if (w === undefined) throw new Error(`weights have no ${name}`);
    if (w.shape.join(',') !== v.shape.join(',')) throw new Error(`weight ${name} is [${w.shape.join(', ')}], the model wants [${v.shape.join(', ')}]`);
    tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
  }
}

/** A model with fresh variables holding the snapshot's weights. */
export function modelFromSnapshot(manifest: BundleManifest, weights: ReadonlyMap<string, WeightEntry>): MultiTaskModel {
  const created: tf.Variable[] = [];
  const take = (name: string): tf.Variable => {
    const w = weights.get(name);
    if (w === undefined) throw new Error(`bundle weights have no ${name}`);
    const v = fromArray(w.data, w.shape);
    created.push(v);
    return v;
  };
  const params = (component: string): Record<string, tf.Variable> => {
    const c = manifest.components.find((x) => x.name === component);
    if (c === undefined) throw new Error(`bundle manifest lists no component ${component}`);
    return Object.fromEntries(c.params.map((p) => [p, take(`${component}/${p}`)]));
  };
  try {
    const encoders: Record<string, EncoderParams> = {};
    for (const e of manifest.encoders) encoders[e.key] = { modality: e.modality, params: params(e.component) } as unknown as EncoderParams;
    const experts = manifest.experts.map((e) => params(e.component) as unknown as ExpertParams);
    const heads = manifest.tasks.map((t) => params(t.head) as unknown as HeadParams);
    let mixer: Mixer;
    if (manifest.kind === 'anchor') {
      mixer = { kind: 'dense', ffn: params('dense') as unknown as ExpertParams };
    } else if (manifest.kind === 'expert') {
      if (experts.length !== 1) throw new Error(`an expert bundle has one expert, this one lists ${experts.length}`);
      mixer = { kind: 'single', expert: experts[0] };
    } else {
      const r = manifest.router;
      if (r === null) throw new Error('an assembly bundle needs router settings');
      mixer = { kind: 'moe', router: params(r.component).w, experts, settings: { topK: r.top_k, capacityFactor: r.capacity_factor, noiseStd: r.noise_std, init: r.init, ...(r.oracle === true ? { oracle: true } : {}) } };
    }
    const tasks: TaskSpec[] = manifest.tasks.map((t) => ({ name: t.name, kind: t.kind, modality: t.modality, labels: [...t.labels], implicit: t.implicit, rating: t.rating, metrics: [...t.metrics], ids: t.ids, shape: { ...t.shape } }));
    return { shape: { ...manifest.shape }, tasks, encoders, taskEncoder: manifest.tasks.map((t) => t.encoder), mixer, heads, expertNames: manifest.experts.map((e) => e.name) };
  } catch (error) {
    for (const v of created) v.dispose();
    throw error;
  }
}
