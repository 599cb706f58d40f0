// A run's progress per phase: each phase keeps its latest event, phases in the order they began.
import { describe, expect, it } from 'vitest';
import { latestPerPhase, type Progress } from '../../../renderer/src/hooks/progress-phases.ts';

const event = (phase: string, step: number): Progress => ({ id: 5, phase, epoch: 1, epochs: 3, step, steps: 10, metrics: {}, samplesPerSec: 100, etaSec: 1 });

describe('progress per phase', () => {
  it('keeps the latest event of each phase, in the order the phases began', () => {
    const first = latestPerPhase([], [event('finetune', 1), event('dense', 1), event('finetune', 2)]);
    expect(first.map((p) => [p.phase, p.step])).toEqual([['finetune', 2], ['dense', 1]]);
    const next = latestPerPhase(first, [event('dense', 4)]);
    expect(next.map((p) => [p.phase, p.step])).toEqual([['finetune', 2], ['dense', 4]]);
    expect(first[1].step).toBe(1);
  });
});
