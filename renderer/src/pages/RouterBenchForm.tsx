// Starting a router bench: the same completed experts under several router methods (all six by
// default), each method one child assembly run of one bench run.
import { useState } from 'react';
import { ROUTER_METHODS, type RouterMethod } from '../../../shared/config.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { NumberField } from '../components/NumberField.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { ExpertRunChecklist } from '../components/ExpertRunChecklist.tsx';

export function RouterBenchForm({ onStarted }: { onStarted: (id: number) => void }) {
  const client = useClient();
  const experts = useRuns({ kind: 'expert', status: 'completed' });
  const [chosen, setChosen] = useState<number[]>([]);
  const [methods, setMethods] = useState<RouterMethod[]>([...ROUTER_METHODS]);
  const [epochs, setEpochs] = useState<number | null>(null);
  const [touched, setTouched] = useState(false);
  const action = useAction();

  const problem = chosen.length === 0 ? 'choose at least one expert' : methods.length === 0 ? 'choose at least one method' : null;
  return (
    <form
      aria-label="New router bench"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (problem) return;
        void action.run(async () => {
          // Methods go in the contract's order whatever order they were ticked in.
          const ordered = ROUTER_METHODS.filter((m) => methods.includes(m));
          const { id } = await client.call('routerBench.start', { experts: chosen, methods: ordered, ...(epochs !== null ? { epochs } : {}) });
          onStarted(id);
        });
      }}
    >
      <div className="columns">
        <fieldset>
          <legend>Experts</legend>
          <ExpertRunChecklist runs={experts.data} chosen={chosen} setChosen={setChosen} />
          <ErrorNotice error={experts.error} title="Cannot list expert runs" />
        </fieldset>
        <fieldset>
          <legend>Router methods</legend>
          {ROUTER_METHODS.map((m) => (
            <label key={m} className="check">
              <input type="checkbox" checked={methods.includes(m)} onChange={(e) => setMethods((c) => (e.target.checked ? [...c, m] : c.filter((x) => x !== m)))} /> {m}
              {m === 'oracle' ? ' (reference, not deployable)' : ''}
            </label>
          ))}
        </fieldset>
        <NumberField label="Joint fine-tuning epochs" value={epochs} onChange={setEpochs} min={0} max={1000} step={1} placeholder="config default" help="Also the dense baseline's epochs in every child." />
      </div>
      {touched && problem && <p className="notice notice-warn">{problem}</p>}
      <button type="submit" className="primary" disabled={action.busy}>
        {action.busy ? 'Starting…' : `Start router bench (${methods.length} methods)`}
      </button>
      <ErrorNotice error={action.error} title="The router bench did not start" />
    </form>
  );
}
