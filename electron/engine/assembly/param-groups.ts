// What joint fine-tuning updates, and how fast: the trainable set picks the parts, the learning
// rate multipliers scale each part's Adam (one optimizer per part). The router (or, for the
// dense baseline, its new FFN) always trains at the base rate.
import type * as tf from '@tensorflow/tfjs';
import type { AssemblyConfig } from '../../../shared/config.ts';
import { FusedAdam } from '../compute/fused-adam.ts';
import { components, lookupTableNames, type MultiTaskModel } from '../model/multitask-model.ts';
import type { ParamGroup } from '../training/train-step.ts';

export function assemblyParamGroups(model: MultiTaskModel, config: Pick<AssemblyConfig, 'train' | 'learning_rate' | 'lr_multipliers'>): ParamGroup[] {
  const parts = components(model);
  const vars = (kinds: string[]): tf.Variable[] => parts.filter((c) => kinds.includes(c.kind)).flatMap((c) => Object.values(c.variables));
  const m = config.lr_multipliers;
  const tables = lookupTableNames(model);
  const plan: [string[], number][] = [[['router', 'dense'], 1]];
  if (config.train === 'gate+heads' || config.train === 'all') plan.push([['head'], m.heads]);
  if (config.train === 'all') plan.push([['expert'], m.experts], [['encoder'], m.encoders]);
  return plan
    .filter(([kinds, mult]) => mult > 0 && vars(kinds).length > 0)
    .map(([kinds, mult]) => ({ optimizer: new FusedAdam(config.learning_rate * mult, { rowSparse: tables }), variables: vars(kinds) }));
}

export function disposeGroups(groups: readonly ParamGroup[]): void {
  for (const g of groups) g.optimizer.dispose();
}
