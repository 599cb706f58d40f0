// The router of a new assembly: the configured init (random, uniform, or centroid: each column
// from its domain's mean token, calibrated on the domains' tokens), and, for add-an-expert, the
// parent assembly grown by new experts with their columns set the same way.
import * as tf from '@tensorflow/tfjs';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { readSnapshot } from '../bundle/load.ts';
import { modelFromSnapshot } from '../bundle/snapshot.ts';
import type { DomainData } from '../data/domain-data.ts';
import { growAssembly, type AssembledModel } from '../model/assembly-model.ts';
import { disposeModel, type MultiTaskModel, type RouterSettings } from '../model/multitask-model.ts';
import { fitRouter } from '../model/router-fit.ts';
import { addCentroidColumn, centroidRouter, randomRouter, uniformRouter } from '../model/router-init.ts';
import { embeddingRouter, gateRouter, ridgeRouter } from '../model/router-methods.ts';
import { deriveSeed } from '../rng.ts';
import type { AssemblyConfig, RouterConfig } from '../../../shared/config.ts';
import { domainTokens } from './centroids.ts';

/** What growing needs of the job: the parent bundle and every expert's dataset, parent's first. */
export interface GrowJob {
  config: Pick<AssemblyConfig, 'encoders'>;
  experts: { dataset: AnyLoadedDataset }[];
  parent: { dir: string };
}

export /**
 * Assigns the configured router init. centroid: columns from each domain's mean token under the
 * assembled encoders (router-init.ts), calibrated on the domains' tokens (router-fit.ts).
 */
function initRouter(assembled: AssembledModel, data: readonly DomainData[], seed: number): AssembledModel {
  const { model } = assembled;
  if (model.mixer.kind !== 'moe') throw new Error('unreachable: an assembly has an MoE mixer');
  const { dim } = model.shape;
  const n = model.expertNames.length;
  const init = model.mixer.settings.init;
  let w: Float32Array;
  if (init === 'random') w = randomRouter(dim, n, deriveSeed(seed, 'router'));
  else if (init === 'uniform') w = uniformRouter(dim, n);
  else {
    const tokens = data.map((d, i) => domainTokens(model, i, d));
    w = fitRouter(centroidRouter(tokens.map((t) => t.mean)), dim, tokens.map((t) => t.sample));
  }
  const router = model.mixer.router;
  tf.tidy(() => router.assign(tf.tensor2d(w, [dim, n])));
  return assembled;
}

export /**
 * Add-an-expert: the parent assembly grown by the experts after its own, with the parent's router
 * columns (growRouter then sets the new ones).
 */
async function growParent(job: GrowJob, branches: MultiTaskModel[], settings: RouterSettings): Promise<AssembledModel & { parentExperts: number }> {
  const parentDir = job.parent.dir;
  const snap = await readSnapshot(parentDir);
  if (snap.manifest.kind !== 'assembly') throw new Error(`${parentDir} holds an ${snap.manifest.kind} bundle; the parent must be an assembly`);
  const parentNames = snap.manifest.experts.map((e) => e.name);
  const m = parentNames.length;
  if (job.experts.length <= m) throw new Error(`the parent assembly already has ${m} experts; the job lists ${job.experts.length}, so none is new`);
  parentNames.forEach((name, i) => {
    if (job.experts[i].dataset.name !== name) throw new Error(`expert ${i} of the parent is ${name}, but the job lists ${job.experts[i].dataset.name} there (the parent's experts come first, in its order)`);
  });
  const parent = modelFromSnapshot(snap.manifest, snap.weights);
  try {
    const sources = Object.fromEntries(snap.manifest.encoders.map((e) => [e.key, e.sources]));
    return { ...growAssembly(parent, sources, branches.slice(m), job.config.encoders, settings), parentExperts: m };
  } finally {
    disposeModel(parent);
  }
}

export /**
 * The router of a grown assembly: the first `parentExperts` columns kept, each new one by
 * centroid, calibrated with the parent's columns held fixed.
 */
function growRouter(assembled: AssembledModel, data: readonly DomainData[], parentExperts: number): AssembledModel {
  const { model } = assembled;
  const m = parentExperts;
  if (model.mixer.kind !== 'moe') throw new Error('unreachable: an assembly has an MoE mixer');
  const { dim } = model.shape;
  const total = model.expertNames.length;
  const tokens = data.map((d, i) => domainTokens(model, i, d));
  const full = model.mixer.router.dataSync() as Float32Array;
  let w: Float32Array = new Float32Array(dim * m);
  for (let i = 0; i < dim; i++) for (let j = 0; j < m; j++) w[i * m + j] = full[i * total + j];
  for (let n = m; n < total; n++) w = addCentroidColumn(w, n, tokens.slice(0, n).map((t) => t.mean), tokens[n].mean);
  w = fitRouter(w, dim, tokens.map((t) => t.sample), m);
  const router = model.mixer.router;
  tf.tidy(() => router.assign(tf.tensor2d(w, [dim, total])));
  return assembled;
}


export /**
 * The router of a method other than joint, built from every domain's tokens under the assembled
 * encoders (router-methods.ts), replacing whatever the router held: embedding, closed_form, gates;
 * uniform (zeros); oracle (zeros, and routing by each token's task, see RouterSettings.oracle).
 * joint keeps the router as initRouter / growWithRouter set it.
 */
function applyRouterMethod(assembled: AssembledModel, data: readonly DomainData[], router: RouterConfig): AssembledModel {
  const { model } = assembled;
  if (model.mixer.kind !== 'moe') throw new Error('unreachable: an assembly has an MoE mixer');
  if (router.method === 'joint') return assembled;
  const { dim } = model.shape;
  const n = model.expertNames.length;
  if (data.length !== n) throw new Error(`router method ${router.method}: ${data.length} domains for ${n} experts`);
  let w: Float32Array;
  if (router.method === 'uniform' || router.method === 'oracle') w = uniformRouter(dim, n);
  else {
    const tokens = data.map((d, i) => domainTokens(model, i, d));
    if (router.method === 'embedding') w = embeddingRouter(tokens.map((t) => t.mean));
    else if (router.method === 'closed_form') w = ridgeRouter(tokens.map((t) => t.sample), dim, router.ridge_lambda);
    else w = gateRouter(tokens.map((t) => t.sample), dim);
  }
  if (router.method === 'oracle') model.mixer.settings = { ...model.mixer.settings, oracle: true };
  const variable = model.mixer.router;
  tf.tidy(() => variable.assign(tf.tensor2d(w, [dim, n])));
  return assembled;
}
