// A run's status as a small coloured label (colour is never the only signal: the word is there).
import type { RunStatus } from '../../../shared/domain.ts';

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
