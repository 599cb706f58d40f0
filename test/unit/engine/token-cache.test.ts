// The frozen-token cache gives, for any batch of training records, exactly the tokens encoding
// that batch gives; interaction domains are left to encode per batch; nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExpertConfig } from '../../../shared/config.ts';
import { cachedTokens, cacheFrozenTokens } from '../../../electron/engine/data/token-cache.ts';
import { buildBatch, prepareDomain } from '../../../electron/engine/data/domain-data.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { resolveExpertConfig } from '../../../electron/engine/model/derive-shape.ts';
import { encode } from '../../../electron/engine/model/encoders/encoder.ts';
import { disposeModel } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset, textureDataset } from './synthetic.ts';

beforeAll(useBackend);

function branch(ds: AnyLoadedDataset) {
  const config = resolveExpertConfig(ExpertConfig.parse({ dataset: ds.name, model: { dim: 16, hidden: 32 } }), ds);
  const task = taskSpecOf(ds, config.model);
  return { model: createBranchModel(task, config.model, 5), data: prepareDomain(ds, task, config.model) };
}

describe('frozen token cache', () => {
  for (const ds of [syntaxDataset(120), semanticsDataset(150), textureDataset(90)]) {
    it(`${ds.kind}: a batch's cached tokens are its encoded tokens`, () => {
      const { model, data } = branch(ds);
      const cache = cacheFrozenTokens(model, [data]);
      expect(cache.domains[0]).not.toBeNull();
      // Records out of order, one twice: a mixed batch can hold them so.
      const train = data.splits.train;
      const records = [train[7], train[2], train[train.length - 1], train[7], train[0]];
      const before = tf.memory().numTensors;
      const cached = cachedTokens(cache, 0, records)!;
      const encoded = encode(model.encoders[model.taskEncoder[0]], buildBatch(data, records, null).input);
      expect(cached.shape).toEqual(encoded.shape);
      expect(Array.from(cached.dataSync())).toEqual(Array.from(encoded.dataSync()));
      tf.dispose([cached, encoded]);
      expect(tf.memory().numTensors).toBe(before);
      disposeModel(model);
    });
  }

  it('leaves rating domains to encode per batch', () => {
    const { model, data } = branch(recommendationDataset(300));
    const cache = cacheFrozenTokens(model, [data]);
    expect(cache.domains).toEqual([null]);
    expect(cachedTokens(cache, 0, [data.splits.train[0]])).toBeNull();
    disposeModel(model);
  });
});
