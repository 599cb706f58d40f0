// The tuned expert keeps the best trial on validation, but the given config (trial 0) unless a
// trial beats it by more than one standard error of its score.
import { describe, expect, it } from 'vitest';
import { chooseTrial, scoreStandardError } from '../../../electron/engine/training/tune-choice.ts';

const trial = (score: number | null, status = 'completed', metric = 'accuracy') => ({ status, validation: score === null ? null : { [metric]: score } });

describe('tune choice', () => {
  it('standard errors: a proportion\'s, and an RMSE\'s spread', () => {
    expect(scoreStandardError('accuracy', 0.9, 100)).toBeCloseTo(0.03, 10);
    expect(scoreStandardError('auc', 0.5, 400)).toBeCloseTo(0.025, 10);
    expect(scoreStandardError('rmse', 1, 50)).toBeCloseTo(0.1, 10);
    expect(scoreStandardError('accuracy', 0.9, 0)).toBe(0);
  });

  it('keeps the given config unless a trial beats it by more than one standard error', () => {
    // n = 100, accuracy 0.9: one standard error is 0.03.
    const within = [trial(0.9), trial(0.92), trial(0.85)];
    expect(chooseTrial(within, 'accuracy', 100)).toBe(within[0]);
    const beyond = [trial(0.9), trial(0.92), trial(0.94)];
    expect(chooseTrial(beyond, 'accuracy', 100)).toBe(beyond[2]);
    // The same gains on a validation split 100 times larger are real.
    expect(chooseTrial(within, 'accuracy', 10000)).toBe(within[1]);
    // Lower is better for RMSE: 1.0 over 50 records has a standard error of 0.1.
    const rmse = [trial(1, 'completed', 'rmse'), trial(0.95, 'completed', 'rmse'), trial(0.85, 'completed', 'rmse')];
    expect(chooseTrial(rmse, 'rmse', 50)).toBe(rmse[2]);
    expect(chooseTrial(rmse.slice(0, 2), 'rmse', 50)).toBe(rmse[0]);
  });

  it('without a finished given config, the best finished trial; none finished, null; ties to the earlier', () => {
    const cancelled = [trial(0.99, 'cancelled'), trial(0.7), trial(0.8)];
    expect(chooseTrial(cancelled, 'accuracy', 100)).toBe(cancelled[2]);
    expect(chooseTrial([trial(null), trial(0.9, 'failed')], 'accuracy', 100)).toBeNull();
    const tie = [trial(Number.NaN), trial(0.8), trial(0.8)];
    expect(chooseTrial(tie, 'accuracy', 100)).toBe(tie[1]);
  });
});
