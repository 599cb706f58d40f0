// Removing one expert from a completed assembly (a data owner opts out): a new assembly run
// without that expert, its router column and its head, no retraining, as `assemble --from ID
// --remove EXPERT` does. The new run then shows each remaining domain's metrics before and after.
import type { RunDetail } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { useAction } from '../hooks/use-action.ts';

export function RemoveExpertPanel({ run, onStarted }: { run: RunDetail; onStarted: (id: number) => void }) {
  const client = useClient();
  const action = useAction();
  if (run.status !== 'completed' || run.result?.type !== 'assembly' || run.experts.length === 0) return null;
  const lastOne = run.experts.length === 1;
  const remove = (expert: number) =>
    action.run(async () => {
      // The request lists the experts that stay, in the parent's order; the engine keeps the parent's router method.
      const experts = run.experts.filter((e) => e.run !== expert).map((e) => e.run);
      const { id } = await client.call('runs.assemble', { experts, from: run.id, remove: expert, seed: run.seed });
      onStarted(id);
    });
  return (
    <div className="remove-expert">
      <h3>Remove an expert</h3>
      <p className="muted small">{lastOne ? 'An assembly keeps at least one expert.' : 'A new assembly without the expert, its router column and its head; nothing is retrained.'}</p>
      <ul className="plain-list" aria-label={`Experts of assembly ${run.id}`}>
        {run.experts.map((e) => (
          <li key={e.run}>
            <button type="button" disabled={lastOne || action.busy} onClick={() => void remove(e.run)}>
              Remove {e.dataset}
            </button>{' '}
            <span className="muted small">expert run {e.run}</span>
          </li>
        ))}
      </ul>
      <ErrorNotice error={action.error} title="The removal did not start" />
    </div>
  );
}
