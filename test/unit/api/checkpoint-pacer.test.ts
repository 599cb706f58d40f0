// The checkpoint pacer: the first checkpoint is always written; later ones once the time since the
// last is at least TRAINING_PER_CHECKPOINT times its cost.
import { describe, expect, it } from 'vitest';
import { CheckpointPacer, TRAINING_PER_CHECKPOINT } from '../../../electron/api/jobs/checkpoint-pacer.ts';

describe('CheckpointPacer', () => {
  it('writes the first, then waits TRAINING_PER_CHECKPOINT times the last cost', async () => {
    let clock = 0;
    const pacer = new CheckpointPacer(() => clock);
    const written: number[] = [];
    // Each write takes 100 ms of the fake clock.
    const write = (epoch: number) => async () => {
      clock += 100;
      written.push(epoch);
    };
    expect(await pacer.maybeWrite(write(1))).toBe(true);
    const due = TRAINING_PER_CHECKPOINT * 100;
    clock += due - 1;
    expect(await pacer.maybeWrite(write(2))).toBe(false);
    clock += 1;
    expect(await pacer.maybeWrite(write(3))).toBe(true);
    // A cheap checkpoint is due sooner.
    const cheap = new CheckpointPacer(() => clock);
    expect(await cheap.maybeWrite(async () => undefined)).toBe(true);
    expect(await cheap.maybeWrite(async () => undefined)).toBe(true);
    expect(written).toEqual([1, 3]);
  });

  it('a failed write is not counted as written and is tried again at the next epoch', async () => {
    let clock = 0;
    const pacer = new CheckpointPacer(() => clock);
    await expect(pacer.maybeWrite(async () => {
      clock += 50;
      throw new Error('ENOSPC');
    })).rejects.toThrow('ENOSPC');
    expect(await pacer.maybeWrite(async () => undefined)).toBe(true);
  });
});
