// A run's progress as the latest event of each phase, in the order the phases began: an
// assembly's router fine-tuning and its dense baseline (on a helper worker) report side by side.
import type { EventOf } from '../../../shared/contract.ts';

export type Progress = EventOf<'run.progress'>;

/** `old` with each phase's entry replaced by its latest event in `events`, new phases appended. */
export function latestPerPhase(old: readonly Progress[], events: readonly Progress[]): Progress[] {
  const next = [...old];
  for (const p of events) {
    const at = next.findIndex((q) => q.phase === p.phase);
    if (at >= 0) next[at] = p;
    else next.push(p);
  }
  return next;
}
