// Starting expert training: one run per chosen dataset, all with the same settings, so the
// experts share a shape and can be mixed later.
import { useState, type FormEvent } from 'react';
import type { DatasetSummary } from '../../../shared/contract.ts';
import { ExpertConfig } from '../../../shared/config.ts';
import { describeZodError } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { NumberField } from '../components/NumberField.tsx';

const DEFAULTS = ExpertConfig.parse({ dataset: '_' });

export function TrainExpertsForm({ datasets, onStarted }: { datasets: DatasetSummary[]; onStarted: (ids: number[]) => void }) {
  const client = useClient();
  const [chosen, setChosen] = useState<string[]>([]);
  const [epochs, setEpochs] = useState<number | null>(DEFAULTS.epochs);
  const [batchSize, setBatchSize] = useState<number | null>(DEFAULTS.batch_size);
  const [learningRate, setLearningRate] = useState<number | null>(DEFAULTS.learning_rate);
  const [patience, setPatience] = useState<number | null>(DEFAULTS.patience);
  const [seed, setSeed] = useState<number | null>(DEFAULTS.seed);
  const [dim, setDim] = useState<number | null>(DEFAULTS.model.dim);
  const [hidden, setHidden] = useState<number | null>(DEFAULTS.model.hidden);
  const [tune, setTune] = useState(false);
  const [anchor, setAnchor] = useState(false);
  const [budget, setBudget] = useState<number | null>(300);
  const [errors, setErrors] = useState<{ dataset: string; error: unknown }[]>([]);
  const [busy, setBusy] = useState(false);

  function toggle(name: string, on: boolean) {
    setChosen((old) => (on ? [...old, name] : old.filter((n) => n !== name)));
  }

  function configFor(dataset: string) {
    return {
      dataset,
      ...(epochs !== null ? { epochs } : {}),
      ...(batchSize !== null ? { batch_size: batchSize } : {}),
      ...(learningRate !== null ? { learning_rate: learningRate } : {}),
      ...(patience !== null ? { patience } : {}),
      ...(seed !== null ? { seed } : {}),
      model: { ...(dim !== null ? { dim } : {}), ...(hidden !== null ? { hidden } : {}) },
    };
  }

  const check = ExpertConfig.safeParse(configFor(chosen[0] ?? '_'));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    const started: number[] = [];
    const failed: { dataset: string; error: unknown }[] = [];
    if (anchor) {
      // One request: the anchors (one per modality) first, then every expert against its anchor.
      try {
        const runs = await client.call('runs.trainAnchored', { experts: chosen.map(configFor), anchor_datasets: null });
        started.push(...runs.anchors, ...runs.experts);
      } catch (error) {
        failed.push({ dataset: chosen.join(', '), error });
      }
      setErrors(failed);
      setBusy(false);
      if (started.length > 0) onStarted(started.sort((a, b) => a - b));
      return;
    }
    // Each dataset is its own run; one refusal does not stop the others.
    await Promise.all(
      chosen.map(async (dataset) => {
        try {
          const config = configFor(dataset);
          const run = tune ? await client.call('runs.tuneExpert', { config, budget_s: budget ?? 300 }) : await client.call('runs.trainExpert', config);
          started.push(run.id);
        } catch (error) {
          failed.push({ dataset, error });
        }
      }),
    );
    setErrors(failed);
    setBusy(false);
    if (started.length > 0) onStarted(started.sort((a, b) => a - b));
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Train experts">
      <fieldset className="choice-list">
        <legend>Datasets (one expert each)</legend>
        {datasets.length === 0 && <p className="muted">Register a dataset first.</p>}
        {datasets.map((d) => (
          <label key={d.name} className="choice">
            <input type="checkbox" checked={chosen.includes(d.name)} onChange={(e) => toggle(d.name, e.target.checked)} />
            <span>{d.name}</span>
            <span className="muted">
              {d.kind} · {d.counts.train} train
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <NumberField label="Epochs" value={epochs} onChange={setEpochs} min={1} max={1000} step={1} />
        <NumberField label="Batch size" value={batchSize} onChange={setBatchSize} min={1} max={4096} step={1} />
        <NumberField label="Learning rate" value={learningRate} onChange={setLearningRate} min={0} max={1} />
        <NumberField label="Patience (epochs)" value={patience} onChange={setPatience} min={1} max={100} step={1} />
        <NumberField label="Seed" value={seed} onChange={setSeed} min={0} step={1} />
        <NumberField label="Width D" value={dim} onChange={setDim} min={4} max={1024} step={1} help="Token width shared by every expert to be mixed (empty: 64)." />
        <NumberField label="Hidden H" value={hidden} onChange={setHidden} min={4} max={4096} step={1} help="Expert FFN hidden width (empty: derived from the data size; with a shared anchor, the anchor's)." />
      </div>
      <label className="choice">
        <input type="checkbox" checked={anchor} disabled={tune} onChange={(e) => setAnchor(e.target.checked)} />
        <span>Shared anchor encoder</span>
        <span className="muted">train one encoder per modality on the chosen datasets first, then every expert against it, frozen, its FFN starting as the anchor's: the experts share one token space, so routing across domains can carry knowledge</span>
      </label>
      <label className="choice">
        <input type="checkbox" checked={tune} disabled={anchor} onChange={(e) => setTune(e.target.checked)} />
        <span>Auto-tune</span>
        <span className="muted">search learning rate, hidden width and epochs on the validation split; every trial is a child run, the best becomes the expert</span>
      </label>
      {tune && (
        <div className="form-grid">
          <NumberField label="Tuning budget (s)" value={budget} onChange={setBudget} min={1} step={1} help="Wall-clock seconds for all trials of one dataset." />
        </div>
      )}
      {!check.success && <p className="error-text">{describeZodError(check.error)}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || chosen.length === 0 || !check.success}>
          {busy ? 'Starting…' : chosen.length > 1 ? `Train ${chosen.length} experts` : 'Train expert'}
        </button>
      </div>
      {errors.map(({ dataset, error }) => (
        <ErrorNotice key={dataset} error={error} title={`Could not start training on ${dataset}`} />
      ))}
    </form>
  );
}
