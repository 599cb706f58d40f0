// Throughput and ETA for progress events, throttled so that a fast loop does not flood the host.

export interface ProgressMeter {
  /** Records `samples` more samples done; true when an event is due (every `everyMs`, and always when forced). */
  tick(samples: number, stepsDone: number, force?: boolean): boolean;
  samplesPerSec(): number;
  etaSec(totalSteps: number): number | null;
}

export function createProgressMeter(everyMs = 250, now: () => number = () => performance.now()): ProgressMeter {
  const start = now();
  let last = -Infinity;
  let samples = 0;
  let steps = 0;
  return {
    tick(more, stepsDone, force = false) {
      samples += more;
      steps = stepsDone;
      const t = now();
      if (force || t - last >= everyMs) {
        last = t;
        return true;
      }
      return false;
    },
    samplesPerSec() {
      const sec = (now() - start) / 1000;
      return sec > 0 ? samples / sec : 0;
    },
    etaSec(totalSteps) {
      if (steps === 0) return null;
      const sec = (now() - start) / 1000;
      return Math.max(0, ((totalSteps - steps) * sec) / steps);
    },
  };
}
