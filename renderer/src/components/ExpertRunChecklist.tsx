// A checkbox per completed expert run, for forms that combine experts (sweeps, the router bench).
import type { Dispatch, SetStateAction } from 'react';
import type { RunSummary } from '../../../shared/contract.ts';

export function ExpertRunChecklist({ runs, chosen, setChosen }: { runs: RunSummary[] | null; chosen: number[]; setChosen: Dispatch<SetStateAction<number[]>> }) {
  return (
    <>
      {(runs ?? []).map((r) => (
        <label key={r.id} className="check">
          <input type="checkbox" checked={chosen.includes(r.id)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.id] : c.filter((x) => x !== r.id)))} /> expert run {r.id} ({r.datasets.join(', ')})
        </label>
      ))}
      {runs?.length === 0 && <p className="muted">Train experts first.</p>}
    </>
  );
}
