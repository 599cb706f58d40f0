// Registering a dataset: where it is, what kind it is, how to read it. The engine validates the
// whole input; every problem comes back with its file and line and is listed here.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../shared/contract.ts';
import { DOMAIN_KINDS, FORMATS_OF, type DomainKind } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { suggestName, type DropGuess } from '../components/dropped-path.ts';
import { PathField } from '../components/PathField.tsx';

/** A path to register, from a drop on the page: `key` changes with every drop. */
export interface AddPreset extends DropGuess {
  path: string;
  key: number;
}

const KIND_HELP: Readonly<Record<DomainKind, string>> = {
  syntax: 'Sentences with a tag per token: CoNLL-U (FORM + UPOS) or JSONL {"tokens","tags"}.',
  semantics: 'Texts with a class: CSV/TSV with text and label columns, or JSONL {"text","label"}.',
  texture: 'Images with a class: a folder with one sub-folder per class, or CSV path,label.',
  recommendation: 'User–item interactions: CSV/TSV user,item,rating[,timestamp] or MovieLens u.data.',
};

export function AddDatasetForm({ autoFocus, preset, onAdded }: { autoFocus: boolean; preset?: AddPreset | null; onAdded: (result: ResponseOf<'datasets.add'>) => void }) {
  const client = useClient();
  const ids = { kind: useId(), name: useId(), format: useId(), text: useId(), label: useId(), implicit: useId(), seed: useId() };
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<DomainKind>('semantics');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [format, setFormat] = useState('');
  const [textCol, setTextCol] = useState('');
  const [labelCol, setLabelCol] = useState('');
  const [implicit, setImplicit] = useState(false);
  const [seed, setSeed] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (autoFocus) formRef.current?.querySelector('input')?.focus();
  }, [autoFocus]);

  // A drop on the page fills the form with the path and the guessed kind and name; the user
  // checks them and presses Add (the engine validates the whole input then).
  useEffect(() => {
    if (!preset) return;
    setPath(preset.path);
    setKind(preset.kind);
    setFormat('');
    setName(preset.name);
    setNameTouched(false);
    setError(null);
    setDone(null);
    formRef.current?.scrollIntoView({ block: 'nearest' });
    // After the render that enables the button.
    const focus = setTimeout(() => formRef.current?.querySelector<HTMLButtonElement>('button[type=submit]')?.focus(), 0);
    return () => clearTimeout(focus);
  }, [preset]);

  function changePath(next: string) {
    setPath(next);
    if (!nameTouched) setName(suggestName(next));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await client.call('datasets.add', {
        path: path.trim(),
        kind,
        name: name.trim(),
        ...(format ? { format } : {}),
        ...(kind === 'semantics' && textCol.trim() ? { textCol: textCol.trim() } : {}),
        ...(kind === 'semantics' && labelCol.trim() ? { labelCol: labelCol.trim() } : {}),
        ...(kind === 'recommendation' ? { implicit } : {}),
        ...(seed.trim() ? { seed: Number(seed) } : {}),
      });
      setDone(result.created ? `Registered ${result.dataset.name} (version ${result.dataset.version.slice(0, 12)}).` : `${result.dataset.name}: identical data is already registered; nothing was written.`);
      onAdded(result);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} aria-label="Add a dataset">
      <PathField label={kind === 'texture' ? 'Folder or CSV file' : 'File'} value={path} onChange={changePath} what={kind === 'texture' ? 'folder' : 'file'} dialogTitle="Choose a dataset" required />
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.kind}>Kind</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as DomainKind);
              setFormat('');
            }}
          >
            {DOMAIN_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            value={name}
            required
            pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}"
            title="letters, digits, _ . - (up to 64), starting with a letter or digit"
            onChange={(e) => {
              setName(e.target.value);
              setNameTouched(true);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.format}>Format</label>
          <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">detect</option>
            {FORMATS_OF[kind].map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.seed}>Split seed</label>
          <input id={ids.seed} type="number" min={0} step={1} value={seed} placeholder="default" onChange={(e) => setSeed(e.target.value)} />
        </div>
        {kind === 'semantics' && (
          <>
            <div className="field">
              <label htmlFor={ids.text}>Text column</label>
              <input id={ids.text} value={textCol} placeholder="text" onChange={(e) => setTextCol(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.label}>Label column</label>
              <input id={ids.label} value={labelCol} placeholder="label" onChange={(e) => setLabelCol(e.target.value)} />
            </div>
          </>
        )}
        {kind === 'recommendation' && (
          <div className="field checkbox-field">
            <input id={ids.implicit} type="checkbox" checked={implicit} onChange={(e) => setImplicit(e.target.checked)} />
            <label htmlFor={ids.implicit}>Implicit feedback (every interaction is a positive)</label>
          </div>
        )}
      </div>
      <p className="hint">{KIND_HELP[kind]}</p>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !path.trim() || !name.trim()}>
          {busy ? 'Validating…' : 'Add dataset'}
        </button>
      </div>
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      <ErrorNotice error={error} title="The dataset was not registered" />
    </form>
  );
}
