// The assembly settings as a form. It edits the same JSON draft the editor shows: a change here
// rewrites the text, a change there shows up here.
import { useId } from 'react';
import type { RunSummary } from '../../../shared/contract.ts';
import { ROUTER_INITS, TRAINABLE_SETS } from '../../../shared/config.ts';
import { NumberField } from '../components/NumberField.tsx';
import { configDefaults, type ConfigDraft } from './assembly-config-text.ts';

// A field missing from the JSON takes its default: the form shows it as the placeholder.
const DEFAULTS = configDefaults();
const placeholder = (key: string) => (DEFAULTS[key] === null || DEFAULTS[key] === undefined ? 'auto' : String(DEFAULTS[key]));

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

export function AssemblyConfigForm({
  draft,
  onChange,
  experts,
  assemblies,
  growFromExperts,
}: {
  draft: ConfigDraft;
  onChange: (draft: ConfigDraft) => void;
  experts: RunSummary[];
  assemblies: RunSummary[];
  /** Expert run ids already inside the assembly chosen in `from`. */
  growFromExperts: number[];
}) {
  const ids = { from: useId(), init: useId(), encoders: useId(), train: useId(), dropless: useId() };
  const chosen = Array.isArray(draft.experts) ? draft.experts.filter((e): e is number => typeof e === 'number') : [];
  const set = (key: string, value: unknown) => onChange({ ...draft, [key]: value });
  const setNumber = (key: string) => (value: number | null) => {
    const next = { ...draft };
    if (value === null) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const from = num(draft.from);
  const dropless = draft.capacity_factor === null || draft.capacity_factor === undefined;

  return (
    <div className="form" aria-label="Assembly settings">
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.from}>Grow an existing assembly</label>
          <select id={ids.from} value={from ?? ''} onChange={(e) => set('from', e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">no: a new assembly</option>
            {assemblies.map((a) => (
              <option key={a.id} value={a.id}>
                run {a.id} · {a.datasets.join(', ')}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="choice-list">
        <legend>{from !== null ? `Experts to add to assembly ${from}` : 'Experts (router order)'}</legend>
        {experts.length === 0 && <p className="muted">No completed expert runs yet: train some on the Experts page.</p>}
        {experts.map((run) => {
          const inParent = growFromExperts.includes(run.id);
          return (
            <label key={run.id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(run.id) || inParent}
                disabled={inParent}
                onChange={(e) => set('experts', e.target.checked ? [...chosen, run.id] : chosen.filter((id) => id !== run.id))}
              />
              <span>
                expert run {run.id} · {run.datasets.join(', ')}
              </span>
              {inParent && <span className="muted">already in assembly {from}</span>}
            </label>
          );
        })}
      </fieldset>
      <div className="form-grid">
        <NumberField label="Top-k" value={num(draft.top_k)} onChange={setNumber('top_k')} placeholder={placeholder('top_k')} min={1} max={64} step={1} help="Experts each token is sent to." />
        <div className="field checkbox-field">
          <input id={ids.dropless} type="checkbox" checked={dropless} onChange={(e) => set('capacity_factor', e.target.checked ? null : 1.25)} />
          <label htmlFor={ids.dropless}>Dropless (no capacity limit)</label>
        </div>
        {!dropless && <NumberField label="Capacity factor" value={num(draft.capacity_factor)} onChange={setNumber('capacity_factor')} placeholder={placeholder('capacity_factor')} min={0} max={64} />}
        <NumberField label="Router noise std" value={num(draft.noise_std)} onChange={setNumber('noise_std')} placeholder={placeholder('noise_std')} min={0} max={10} />
        <div className="field">
          <label htmlFor={ids.init}>Router init</label>
          <select id={ids.init} value={String(draft.router_init ?? DEFAULTS.router_init)} onChange={(e) => set('router_init', e.target.value)}>
            {ROUTER_INITS.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.encoders}>Encoders</label>
          <select id={ids.encoders} value={String(draft.encoders ?? DEFAULTS.encoders)} onChange={(e) => set('encoders', e.target.value)}>
            <option value="merged">merged (average per modality)</option>
            <option value="per_domain">per domain</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.train}>Fine-tune</label>
          <select id={ids.train} value={String(draft.train ?? DEFAULTS.train)} onChange={(e) => set('train', e.target.value)}>
            {TRAINABLE_SETS.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </div>
        <NumberField label="Epochs" value={num(draft.epochs)} onChange={setNumber('epochs')} placeholder={placeholder('epochs')} min={0} max={1000} step={1} />
        <NumberField label="Steps per epoch" value={num(draft.steps_per_epoch)} onChange={(v) => set('steps_per_epoch', v)} min={1} step={1} placeholder="auto" />
        <NumberField label="Batch size" value={num(draft.batch_size)} onChange={setNumber('batch_size')} placeholder={placeholder('batch_size')} min={1} max={4096} step={1} />
        <NumberField label="Learning rate" value={num(draft.learning_rate)} onChange={setNumber('learning_rate')} placeholder={placeholder('learning_rate')} min={0} max={1} />
        <NumberField label="Load-balance coef" value={num(draft.load_balance_coef)} onChange={setNumber('load_balance_coef')} placeholder={placeholder('load_balance_coef')} min={0} max={10} />
        <NumberField label="Z-loss coef" value={num(draft.z_loss_coef)} onChange={setNumber('z_loss_coef')} placeholder={placeholder('z_loss_coef')} min={0} max={10} />
        <NumberField label="Sampling temperature" value={num(draft.temperature)} onChange={setNumber('temperature')} placeholder={placeholder('temperature')} min={0.1} max={100} />
        <NumberField label="Log routing every (steps)" value={num(draft.log_every)} onChange={setNumber('log_every')} placeholder={placeholder('log_every')} min={1} step={1} />
        <NumberField label="Seed" value={num(draft.seed)} onChange={setNumber('seed')} placeholder={placeholder('seed')} min={0} step={1} />
      </div>
    </div>
  );
}
