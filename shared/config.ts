// Experiment configuration: one schema for the CLI, the API, the stored run record and the
// Monaco editor (which gets the JSON schema derived from it). Every field says its meaning,
// unit and default; a resolved config (all defaults filled in) is what a run stores.
import { z } from 'zod';

/**
 * Model sizes as the config gives them: a null field is derived from the data when training
 * starts (see electron/engine/model/derive-shape.ts), and the run records the derived value, so a
 * replay is exact. An explicit value always wins.
 */
export const ModelShapeInput = z
  .object({
    dim: z
      .number()
      .int()
      .min(4)
      .max(1024)
      .nullable()
      .default(null)
      .describe('Token width D shared by encoders, experts and router; experts mix only when they share it, so it is not derived from the data. null: 64.'),
    hidden: z.number().int().min(4).max(4096).nullable().default(null).describe('Expert FFN hidden width H: the expert\'s capacity. null: 2 * dim below 20,000 training samples, else 4 * dim.'),
    text_buckets: z
      .number()
      .int()
      .min(64)
      .max(1 << 20)
      .nullable()
      .default(null)
      .describe('Hash buckets for words, word bigrams and character n-grams (text encoder). null: 8 per distinct training word, a power of two in [4,096, 65,536].'),
    ids: z
      .enum(['exact', 'hashed'])
      .nullable()
      .default(null)
      .describe('exact: every training user and item gets its own row, unseen ones share one; hashed: ids are hashed into id_buckets rows. null: exact up to 2^20 distinct users plus items, hashed beyond.'),
    id_buckets: z.number().int().min(16).max(1 << 20).nullable().default(null).describe('Hash buckets for user and item ids when ids are hashed. null: 2^20.'),
    patch: z.number().int().min(2).max(16).nullable().default(null).describe('Image patch side in pixels (image encoder); the image is 32x32. null: 4.'),
    max_tokens: z.number().int().min(4).max(512).nullable().default(null).describe('Longest text kept, in words; longer texts are truncated. null: the 95th percentile of the training texts, in [16, 128].'),
    context: z.number().int().min(0).max(4).nullable().default(null).describe('Neighbour words on each side that the text encoder sees. null: 2.'),
    word_bigrams: z.boolean().nullable().default(null).describe('Add hashed word bigrams to each word (fastText). null: on for semantics, off for syntax (whose context window already sees neighbours).'),
  })
  .strict();
export type ModelShapeInput = z.infer<typeof ModelShapeInput>;

/** A resolved model shape: every size known. This is what models, bundles and runs hold. */
export interface ModelShape {
  dim: number;
  hidden: number;
  text_buckets: number;
  /** Hash buckets when `ids` is 'hashed'; unused with exact ids. */
  id_buckets: number;
  ids: 'exact' | 'hashed';
  patch: number;
  max_tokens: number;
  context: number;
  word_bigrams: boolean;
}

export const ExpertConfig = z
  .object({
    dataset: z.string().min(1).describe('Name of the registered dataset this expert learns.'),
    epochs: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(12)
      .describe('Most passes over the training split (early stopping usually ends sooner; the texture sample still improves after 8).'),
    batch_size: z.number().int().min(1).max(4096).default(32).describe('Samples per step.'),
    learning_rate: z.number().positive().max(1).default(0.003).describe('Adam learning rate.'),
    patience: z.number().int().min(1).max(100).default(3).describe('Epochs without validation improvement before stopping early.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed of every random choice: init, shuffle, dropout.'),
    dropout: z
      .number()
      .min(0)
      .max(0.9)
      .nullable()
      .default(null)
      .describe(
        'Share of the encoder\'s token features zeroed at each training step (inverted dropout), against memorizing the training split. ' +
          'null: derived, 0.2 for text (measured: SpamAssassin 0.9745 -> 0.9779, Brown tagging 0.9550 -> 0.9558), 0 for images and ratings.',
      ),
    l2: z
      .number()
      .min(0)
      .max(10)
      .default(0.0005)
      .describe('L2 penalty on the user and item embeddings and biases a batch touches (biased matrix factorization); other modalities ignore it.'),
    model: ModelShapeInput.default(ModelShapeInput.parse({})),
    anchor: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe(
        'Anchor run id (kind anchor): the expert trains its FFN and head against that run\'s encoder of its modality, frozen, so experts of one anchor share one token space ' +
          'and the assembly uses the anchor as their encoder. The encoder sizes (dim, text_buckets, context, patch, ids) come from the anchor, and the FFN starts as the anchor\'s ' +
          '(its hidden width too, unless model.hidden is set). null: the expert trains its own encoder.',
      ),
  })
  .strict();
export type ExpertConfig = z.infer<typeof ExpertConfig>;

/**
 * A shared anchor encoder (issue 10, after FlexOlmo): a dense multi-task model over `datasets`
 * (all of one modality): one encoder, one dense FFN, one head per dataset, trained on mixed
 * batches. Only its encoder is used afterwards, frozen, by the experts that name the run.
 */
export const AnchorConfig = z
  .object({
    datasets: z.array(z.string().min(1)).min(1).describe('Registered datasets the anchor is trained on (their training splits), all of one modality.'),
    epochs: z.number().int().min(1).max(1000).default(12).describe('Most passes over the datasets\' training samples (early stopping on the mean validation selection metric usually ends sooner).'),
    batch_size: z.number().int().min(1).max(4096).default(32).describe('Samples per mixed batch.'),
    learning_rate: z.number().positive().max(1).default(0.003).describe('Adam learning rate (the experts\' default).'),
    patience: z.number().int().min(1).max(100).default(3).describe('Epochs without validation improvement before stopping early.'),
    l2: z.number().min(0).max(10).default(0.0005).describe('L2 penalty on the user and item rows a batch touches (interaction anchors, as the experts\' l2); other modalities ignore it.'),
    temperature: z.number().min(0.1).max(100).default(1).describe('Domain sampling temperature T: p_d ~ n_d^(1/T). Default 1: every training sample once per epoch on average, so a big domain shapes the shared encoder in proportion to its data.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed of every random choice: init, sampling.'),
    model: ModelShapeInput.default(ModelShapeInput.parse({})).describe('Sizes of the anchor; null fields are derived from its datasets (encoder sizes: the largest any dataset derives). hidden is the dense FFN\'s width.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (new Set(c.datasets).size !== c.datasets.length) ctx.addIssue({ code: 'custom', path: ['datasets'], message: 'each dataset may appear only once' });
  });
export type AnchorConfig = z.infer<typeof AnchorConfig>;
export type AnchorConfigInput = z.input<typeof AnchorConfig>;
/** An anchor config with its shape derived (what the anchor run records). */
export type ResolvedAnchorConfig = Omit<AnchorConfig, 'model'> & { model: ModelShape };
/** An expert config whose model shape has been derived from its dataset (what a run records). */
export type ResolvedExpertConfig = Omit<ExpertConfig, 'model' | 'dropout'> & { model: ModelShape; dropout: number };
export type ExpertConfigInput = z.input<typeof ExpertConfig>;

export const TRAINABLE_SETS = ['gate', 'gate+heads', 'all'] as const;
export const ROUTER_INITS = ['random', 'uniform', 'centroid'] as const;
/**
 * How an assembly's router is built (issue 10). joint: centroid-initialized router trained jointly
 * on mixed batches (BTX); embedding: each expert's column is its domain's mean token (FlexOlmo);
 * closed_form: ridge regression from tokens to one-hot domains (DUME); gates: one gate per expert
 * from its own domain's tokens only (PHATGOOSE-style); uniform: zeros (equal weights); oracle:
 * every token to its own domain's expert (a reference, not deployable). Only joint fine-tunes.
 */
export const ROUTER_METHODS = ['joint', 'embedding', 'closed_form', 'gates', 'uniform', 'oracle'] as const;
export type RouterMethod = (typeof ROUTER_METHODS)[number];
export const RouterConfig = z
  .object({
    method: z.enum(ROUTER_METHODS).default('joint').describe('How the router is built: joint (centroid init + joint fine-tuning), embedding, closed_form, gates, uniform, or oracle. Every method but joint skips fine-tuning.'),
    ridge_lambda: z.number().min(0).max(1e6).default(1).describe('closed_form: ridge penalty lambda in W = (X^T X + lambda I)^-1 X^T Y.'),
  })
  .strict();
export type RouterConfig = z.infer<typeof RouterConfig>;

export const AssemblyConfig = z
  .object({
    experts: z.array(z.number().int().positive()).min(1).describe('Expert run ids, one per domain, in router order (with `from`: the experts to add).'),
    from: z.number().int().positive().nullable().default(null).describe('Parent assembly run id when growing an assembly (add an expert).'),
    remove: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('Expert run id to remove from the `from` assembly: a new assembly without its expert, router column and head, no retraining (`experts` then lists the experts that stay, in the parent\'s order).'),
    top_k: z.number().int().min(1).max(64).default(2).describe('Experts each token is sent to (1 as Switch, 2 as GShard/Mixtral).'),
    capacity_factor: z
      .number()
      .positive()
      .max(64)
      .nullable()
      .default(null)
      .describe('Expert capacity = factor * tokens * k / experts; overflow tokens pass through the residual. null: dropless.'),
    noise_std: z.number().min(0).max(10).default(0).describe('Noisy top-k: std of Gaussian noise added to router logits while training (0: off).'),
    router_init: z.enum(ROUTER_INITS).default('centroid').describe('Router weights: random, uniform (all zero), or centroid (row i = mean token of domain i).'),
    router: RouterConfig.default({ method: 'joint', ridge_lambda: 1 }).describe('Router method (see ROUTER_METHODS) and its settings.'),
    encoders: z
      .enum(['merged', 'per_domain'])
      .default('per_domain')
      .describe(
        'merged: parameter average per modality (BTX); per_domain: keep each branch encoder. A modality with one branch is the same either way. ' +
          'Default per_domain: branches trained apart diverge, and their average serves each branch worse (built-in samples, gate+heads fine-tuning: ' +
          'merged text encoder keeps 0.91 of the syntax and 0.96 of the semantics expert accuracy, per_domain 1.00 and 0.99). merged saves one encoder per extra branch.',
      ),
    train: z.enum(TRAINABLE_SETS).default('gate+heads').describe('What joint fine-tuning updates.'),
    epochs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(3)
      .describe('Joint fine-tuning passes (0: assemble and evaluate only). Default 3: on the built-in samples the last point of semantics retention (0.98 -> 0.99) comes in the third pass.'),
    steps_per_epoch: z.number().int().min(1).max(100000).nullable().default(null).describe('Mixed batches per epoch; null: total training samples / batch size.'),
    batch_size: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(32)
      .describe(
        'Samples per mixed batch. Default 32: 64 keeps the built-in samples\' retention (lowest 0.990 either way) and trains their assembly 1-3 s faster, ' +
          'but costs the transfer bench\'s small domains 0.07-0.40 points of accuracy (mean gain -0.81 instead of -0.57 points): half as many router steps.',
      ),
    learning_rate: z.number().positive().max(1).default(0.001).describe('Adam learning rate for the gate. The calibrated router starts out routing each domain to its own expert; a gentle rate keeps that (on the built-in samples 0.003 let 14% of image tokens drift to a text expert in 3 epochs; 0.001 keeps the image purity at 0.92 with the same retention).'),
    lr_multipliers: z
      .object({
        heads: z.number().min(0).max(100).default(0.3),
        experts: z.number().min(0).max(100).default(0.1),
        encoders: z.number().min(0).max(100).default(0.1),
      })
      .strict()
      .default({ heads: 0.3, experts: 0.1, encoders: 0.1 })
      .describe('Learning rate of each part relative to the gate.'),
    load_balance_coef: z.number().min(0).max(10).default(0.01).describe('Switch load-balancing loss weight a in a*N*sum(f_i*P_i).'),
    z_loss_coef: z.number().min(0).max(10).default(0.001).describe('ST-MoE router z-loss weight b in b*mean(logsumexp(logits)^2).'),
    temperature: z.number().min(0.1).max(100).default(2).describe('Domain sampling temperature T: p_d ~ n_d^(1/T).'),
    log_every: z.number().int().min(1).max(100000).default(5).describe('Steps between logged routing statistics.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed of every random choice: router init, sampling, noise.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    // When growing an assembly (from), `experts` lists only the experts to add.
    if (c.from === null && c.top_k > c.experts.length) {
      ctx.addIssue({ code: 'custom', path: ['top_k'], message: `top_k (${c.top_k}) cannot exceed the number of experts (${c.experts.length})` });
    }
    if (c.remove !== null && c.from === null) ctx.addIssue({ code: 'custom', path: ['remove'], message: 'remove needs from (the assembly to remove the expert from)' });
    if (c.remove !== null && c.experts.includes(c.remove)) ctx.addIssue({ code: 'custom', path: ['remove'], message: `expert ${c.remove} is both removed and kept` });
    if (new Set(c.experts).size !== c.experts.length) {
      ctx.addIssue({ code: 'custom', path: ['experts'], message: 'each expert may appear only once' });
    }
  });
export type AssemblyConfig = z.infer<typeof AssemblyConfig>;
export type AssemblyConfigInput = z.input<typeof AssemblyConfig>;

/** JSON schema of the assembly config, for the Monaco editor's validation and completion. */
export function assemblyConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(AssemblyConfig, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
