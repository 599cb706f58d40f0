// When an epoch's checkpoint is worth writing. A text expert's checkpoint is about 65 MB (weights,
// best weights, Adam's moments), written by its worker and read back by the host to hash it:
// after every epoch that took a fifth of this two-core machine while two experts trained. As
// CheckFreq (Mohan et al., FAST '21) does, the frequency follows from a budget instead of a count:
// a checkpoint is written once the time since the last one is at least TRAINING_PER_CHECKPOINT
// times what the last one took, so writing stays under about 1/20 of a job's time whatever the
// model's size, and a resume loses at most that much training. The first is always written (its
// cost is not known before); small models, whose checkpoints take milliseconds, still get one
// every epoch.

/** Time trained between two checkpoints, in multiples of the last one's cost (about 5% for checkpoints). */
export const TRAINING_PER_CHECKPOINT = 19;

export class CheckpointPacer {
  private lastEnd: number | null = null;
  private lastCost = 0;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** Runs `write` when a checkpoint is due (see above) and tells whether it ran. */
  async maybeWrite(write: () => Promise<void>): Promise<boolean> {
    const start = this.now();
    if (this.lastEnd !== null && start - this.lastEnd < TRAINING_PER_CHECKPOINT * this.lastCost) return false;
    await write();
    this.lastEnd = this.now();
    this.lastCost = this.lastEnd - start;
    return true;
  }
}
