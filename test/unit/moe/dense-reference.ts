// The MoE layer computed the dense way, for tests only: every expert on every token, then
// weighted by a [T, N] mask built from the routing the sparse layer returned. Written with
// plain autodiff ops (its own LayerNorm, GELU and losses) so that it shares no code with the
// implementation under test beyond the parameters.
import * as tf from '@tensorflow/tfjs';
import type { ExpertParams } from '../../../electron/engine/model/expert.ts';
import type { MoeRouting } from '../../../electron/engine/model/moe/moe-layer.ts';

export function plainExpertFfn(p: ExpertParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const mean = tf.mean(x, 1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), 1, true);
    const ln = tf.add(tf.mul(tf.div(centered, tf.sqrt(tf.add(variance, 1e-5))), p.gamma), p.beta);
    const h = tf.add(tf.matMul(ln as tf.Tensor2D, p.w1), p.b1);
    const g = tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.div(h, Math.SQRT2)), 1));
    return tf.add(tf.matMul(g as tf.Tensor2D, p.w2), p.b2) as tf.Tensor2D;
  });
}

export interface DenseOutput {
  output: tf.Tensor2D;
  loadBalanceLoss: tf.Scalar;
  zLoss: tf.Scalar;
}

export function denseReference(x: tf.Tensor2D, routerW: tf.Tensor2D, experts: ExpertParams[], routing: MoeRouting): DenseOutput {
  const { tokens, experts: n, topK: k } = routing;
  const chosen = new Float32Array(tokens * n);
  const kept = new Float32Array(tokens * n);
  const top1 = new Float32Array(n);
  for (let t = 0; t < tokens; t++) {
    top1[routing.topIndices[t * k]] += 1 / tokens;
    for (let j = 0; j < k; j++) {
      const e = routing.topIndices[t * k + j];
      chosen[t * n + e] = 1;
      kept[t * n + e] = routing.kept[t * k + j];
    }
  }
  return tf.tidy(() => {
    const logits = tf.matMul(x, routerW);
    const probs = tf.div(tf.exp(logits), tf.sum(tf.exp(logits), 1, true));
    const chosenMask = tf.tensor2d(chosen, [tokens, n]);
    const keptMask = tf.tensor2d(kept, [tokens, n]);
    const selected = tf.mul(probs, chosenMask);
    // k = 1: the router probability itself (Switch); k >= 2: renormalized over the chosen experts.
    const weights = k === 1 ? tf.mul(probs, keptMask) : tf.mul(tf.div(selected, tf.sum(selected, 1, true)), keptMask);
    let output: tf.Tensor = x;
    experts.forEach((p, e) => {
      output = tf.add(output, tf.mul(plainExpertFfn(p, x), tf.slice(weights, [0, e], [tokens, 1])));
    });
    const loadBalanceLoss = tf.mul(tf.sum(tf.mul(tf.mean(probs, 0), tf.tensor1d(top1))), n) as tf.Scalar;
    const zLoss = tf.mean(tf.square(tf.log(tf.sum(tf.exp(logits), 1)))) as tf.Scalar;
    return { output: output as tf.Tensor2D, loadBalanceLoss, zLoss };
  });
}
