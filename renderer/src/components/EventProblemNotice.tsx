// Says that live updates were dropped because an event failed validation (the page may then be
// stale), with the event and the reason, until dismissed.
import { useSyncExternalStore } from 'react';
import type { EventProblems } from '../api/event-problems.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

export function EventProblemNotice({ problems }: { problems: EventProblems }) {
  const state = useSyncExternalStore(problems.subscribe, problems.snapshot);
  if (state === null) return null;
  const more = state.count > 1 ? ` (${state.count} events dropped in all)` : '';
  return (
    <div className="startup-error" data-testid="event-problem">
      <ErrorNotice error={new Error(`${state.latest.event}: ${state.latest.message}${more}. What this page shows may be out of date; reload it.`)} title="A live update from the engine was not understood" />
      <button type="button" onClick={problems.dismiss}>
        Dismiss
      </button>
    </div>
  );
}
