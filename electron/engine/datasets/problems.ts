// Collects validation problems: keeps the first few for the report, counts all of them.
import type { InputProblem } from '../../../shared/domain.ts';

/** How many problems a report lists; the total is still counted past this. */
export const MAX_REPORTED_PROBLEMS = 50;

export class ProblemList {
  readonly items: InputProblem[] = [];
  total = 0;

  add(file: string, line: number | null, message: string): void {
    this.total += 1;
    if (this.items.length < MAX_REPORTED_PROBLEMS) this.items.push({ file, line, message });
  }

  get any(): boolean {
    return this.total > 0;
  }
}

/** The message of anything thrown, for a problem report. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
