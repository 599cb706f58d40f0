// Events the client could not validate, kept for the page to show: the client is made before
// React starts, so it reports here and a component subscribes (useSyncExternalStore).
import type { InvalidEvent } from '../../../shared/client.ts';

export interface EventProblems {
  report(problem: InvalidEvent): void;
  subscribe(listener: () => void): () => void;
  /** The latest problem and how many there were in all (the same object until the next report). */
  snapshot(): { latest: InvalidEvent; count: number } | null;
  dismiss(): void;
}

export function createEventProblems(): EventProblems {
  const listeners = new Set<() => void>();
  let state: { latest: InvalidEvent; count: number } | null = null;
  const changed = () => listeners.forEach((l) => l());
  return {
    report(problem) {
      console.warn(`moe-workbench: an event was dropped: ${problem.event}: ${problem.message}`);
      state = { latest: problem, count: (state?.count ?? 0) + 1 };
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => state,
    dismiss() {
      state = null;
      changed();
    },
  };
}
