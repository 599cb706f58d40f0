// Joint training on mixed batches (temperature sampling over domains) as a task of the training
// loop: loss = sum over the batch's domains of (their share of the batch) * task loss
//               + load_balance_coef * LB + z_loss_coef * Z   (MoE only).
// Logs the auxiliary losses every step and routing statistics every log_every steps. Used for the
// assembly's fine-tuning and, with the same sampler seed (so the same batches), the dense baseline.
import * as tf from '@tensorflow/tfjs';
import type { AssemblyConfig } from '../../../shared/config.ts';
import { buildBatch, type Batch, type DomainData } from '../data/domain-data.ts';
import { headLoss } from '../model/heads.ts';
import type { MoeRouting } from '../model/moe/moe-layer.ts';
import { routingStats } from '../model/moe/routing-stats.ts';
import { forward, type MultiTaskModel } from '../model/multitask-model.ts';
import { headKindOf } from '../model/task.ts';
import { createRng, deriveSeed } from '../rng.ts';
import type { TrainHooks } from '../training/hooks.ts';
import type { ParamGroup } from '../training/train-step.ts';
import { textRowLeaves } from '../training/row-leaves.ts';
import { trainLoop } from '../training/trainer.ts';
import { createMixedSampler } from './mixed-sampler.ts';
import { cachedExpertOutputs, type ExpertOutputCache } from './expert-output-cache.ts';
import { cachedTokens, type TokenCache } from '../data/token-cache.ts';

export interface FineTuneInput {
  model: MultiTaskModel;
  /** One per task of the model, in task order. */
  data: DomainData[];
  groups: ParamGroup[];
  config: AssemblyConfig;
  /** Progress phase ('finetune', 'dense') and metric prefix ('train', 'dense'). */
  phase: string;
  prefix: string;
  /** The frozen encoders' tokens of the training records; only when no group trains an encoder. */
  tokens?: TokenCache;
  /** The frozen experts' outputs on those tokens (MoE only); only when no group trains an expert or an encoder. */
  expertOutputs?: ExpertOutputCache;
  /** After each epoch (validation logging, checkpoints); `last`: no epoch follows. */
  onEpoch?: (epoch: number, globalStep: number, last: boolean) => Promise<void>;
}

/** Mixed batches per epoch: the config's, else all training samples once. */
export function stepsPerEpoch(config: Pick<AssemblyConfig, 'steps_per_epoch' | 'batch_size'>, data: readonly DomainData[]): number {
  return config.steps_per_epoch ?? Math.max(1, Math.ceil(data.reduce((a, d) => a + d.splits.train.length, 0) / config.batch_size));
}

/** Domain of every token of a forward pass, parts concatenated. */
export function tokenDomains(parts: readonly { task: number }[], tokenSamples: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(tokenSamples.reduce((a, s) => a + s.length, 0));
  let o = 0;
  parts.forEach((p, i) => {
    out.fill(p.task, o, o + tokenSamples[i].length);
    o += tokenSamples[i].length;
  });
  return out;
}

export async function fineTune(input: FineTuneInput, hooks: TrainHooks, signal: AbortSignal): Promise<{ steps: number }> {
  const { model, data, config, prefix, tokens: cache, expertOutputs: outputs } = input;
  const domains = model.tasks.map((t) => t.name);
  const sampler = createMixedSampler(
    data.map((d) => d.splits.train.length),
    config.batch_size,
    config.temperature,
    config.seed,
  );
  const negatives = createRng(deriveSeed(config.seed, 'mix-negatives'));
  const trainable = new Set(input.groups.flatMap((g) => g.variables));
  const outcome = await trainLoop<null>(
    {
      phase: input.phase,
      prefix,
      epochs: config.epochs,
      stepsPerEpoch: stepsPerEpoch(config, data),
      patience: null,
      groups: input.groups,
      batch(_epoch, _step, globalStep) {
        const mixed = sampler.next();
        const records = mixed.map((p) => p.rows.map((r) => data[p.domain].splits.train[r]));
        const batches: Batch[] = mixed.map((p, i) => buildBatch(data[p.domain], records[i], negatives));
        const { parts, leaves } = textRowLeaves(model, mixed.map((p, i) => ({ task: p.domain, input: batches[i].input })), trainable);
        const seen: { routing: MoeRouting | null; samples: Int32Array[]; task: number; lb: number; z: number } = { routing: null, samples: [], task: 0, lb: 0, z: 0 };
        const step = globalStep + 1;
        return {
          samples: mixed.reduce((a, p) => a + p.rows.length, 0),
          leaves,
          loss: () => {
            const withTokens = cache
              ? parts.map((p, i) => ({
                  ...p,
                  tokens: cachedTokens(cache, p.task, records[i]) ?? undefined,
                  expertOutputs: (outputs && cachedExpertOutputs(outputs, p.task, records[i])) ?? undefined,
                }))
              : parts;
            const r = forward(model, withTokens, { training: true, noiseSeed: deriveSeed(config.seed, 'router-noise', globalStep) });
            const taskLosses = mixed.map((p, i) => {
              const spec = model.tasks[p.domain];
              return tf.mul(headLoss(headKindOf(spec), r.outputs[i], batches[i].targets, spec.rating), p.rows.length / config.batch_size);
            });
            let l = tf.addN(taskLosses) as tf.Scalar;
            seen.task = l.dataSync()[0];
            if (r.loadBalanceLoss !== null && r.zLoss !== null) {
              seen.lb = r.loadBalanceLoss.dataSync()[0];
              seen.z = r.zLoss.dataSync()[0];
              l = tf.addN([l, tf.mul(r.loadBalanceLoss, config.load_balance_coef), tf.mul(r.zLoss, config.z_loss_coef)]) as tf.Scalar;
            }
            seen.routing = r.routing;
            seen.samples = r.tokenSamples;
            return l;
          },
          logged: () => {
            const logged: Record<string, number> = { [`${prefix}/task_loss`]: seen.task };
            if (seen.routing === null) return logged;
            logged[`${prefix}/lb_loss`] = seen.lb;
            logged[`${prefix}/z_loss`] = seen.z;
            if (step % config.log_every === 0 || step === 1) {
              const stats = routingStats(seen.routing, tokenDomains(parts, seen.samples), domains.length);
              hooks.routing(step, 'train', domains, stats);
              logged[`${prefix}/routing_entropy`] = stats.entropy;
              logged[`${prefix}/dropped_fraction`] = stats.droppedFraction;
            }
            return logged;
          },
        };
      },
      // Fine-tuning runs its epochs out: no early stopping, the last weights are the result.
      validate: () => null,
      copyWeights: () => null,
      restoreWeights: () => undefined,
      checkpoint: async (epoch, state, _best, last) => {
        if (input.onEpoch) await input.onEpoch(epoch, state.globalStep, last);
      },
    },
    hooks,
    signal,
  );
  return { steps: outcome.state.globalStep };
}
