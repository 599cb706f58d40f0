// Playground: pick a trained model and one of its tasks, give it an input of that task's kind
// (a sentence, an image, a user and an item), and see the prediction and the routing.
import { useId, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../shared/contract.ts';
import { DOMAIN_KINDS, MODALITY_OF, type DomainKind, type Modality } from '../../../shared/domain.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { imageFileToPixels } from '../components/image-pixels.ts';
import { PixelImage } from '../components/PixelImage.tsx';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { PredictionView } from './PredictionView.tsx';

export function PlaygroundPage() {
  const client = useClient();
  const ids = { run: useId(), task: useId(), kind: useId(), text: useId(), user: useId(), item: useId(), image: useId() };
  const runs = useRuns({ status: 'completed' });
  const datasets = useQuery(() => client.call('datasets.list', {}), [client]);
  const [runId, setRunId] = useState<number | null>(null);
  const [task, setTask] = useState('');
  const [kindOverride, setKindOverride] = useState<DomainKind | ''>('');
  const [text, setText] = useState('');
  const [user, setUser] = useState('');
  const [item, setItem] = useState('');
  const [pixels, setPixels] = useState<string | null>(null);
  const [prediction, setPrediction] = useState<ResponseOf<'predict'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const models = (runs.data ?? []).filter((r) => r.kind !== 'eval');
  const run = models.find((r) => r.id === runId) ?? null;
  const tasks = run?.datasets ?? [];
  const knownKind = datasets.data?.find((d) => d.name === task)?.kind;
  // An imported model's task may name a dataset this workbench does not have: the user says the kind.
  const kind: DomainKind | null = knownKind ?? (kindOverride || null);
  const modality: Modality | null = kind ? MODALITY_OF[kind] : null;

  async function chooseImage(file: File | undefined) {
    if (!file) return;
    setError(null);
    try {
      setPixels(await imageFileToPixels(file));
    } catch (failure) {
      setError(failure);
    }
  }

  function input() {
    if (modality === 'text') return text.trim() ? { text } : null;
    if (modality === 'image') return pixels ? { pixels } : null;
    if (modality === 'interaction') return user.trim() && item.trim() ? { user: user.trim(), item: item.trim() } : null;
    return null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const given = input();
    if (runId === null || !task || !given) return;
    setBusy(true);
    setError(null);
    try {
      setPrediction(await client.call('predict', { id: runId, task, input: given }));
    } catch (failure) {
      setError(failure);
      setPrediction(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page">
      <h1>Playground</h1>
      <Card title="Ask a model">
        <form className="form" onSubmit={(e) => void submit(e)} aria-label="Prediction input">
          <div className="form-grid">
            <div className="field">
              <label htmlFor={ids.run}>Model (completed run)</label>
              <select
                id={ids.run}
                value={runId ?? ''}
                onChange={(e) => {
                  const id = e.target.value === '' ? null : Number(e.target.value);
                  setRunId(id);
                  setTask(models.find((r) => r.id === id)?.datasets[0] ?? '');
                  setPrediction(null);
                }}
              >
                <option value="">choose…</option>
                {models.map((r) => (
                  <option key={r.id} value={r.id}>
                    run {r.id} · {r.kind} · {r.datasets.join(', ')}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.task}>Task</label>
              <select id={ids.task} value={task} onChange={(e) => setTask(e.target.value)} disabled={tasks.length === 0}>
                {tasks.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </div>
            {task && !knownKind && (
              <div className="field">
                <label htmlFor={ids.kind}>Task kind</label>
                <select id={ids.kind} value={kindOverride} onChange={(e) => setKindOverride(e.target.value as DomainKind | '')}>
                  <option value="">choose…</option>
                  {DOMAIN_KINDS.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </div>
            )}
          </div>
          {modality === 'text' && (
            <div className="field">
              <label htmlFor={ids.text}>{kind === 'syntax' ? 'Sentence' : 'Text'}</label>
              <textarea id={ids.text} rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="Type a sentence…" />
            </div>
          )}
          {modality === 'image' && (
            <div
              className="field drop-zone"
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                void chooseImage(e.dataTransfer.files[0]);
              }}
            >
              <label htmlFor={ids.image}>Image (choose or drop; it is resized to 32×32 as the model sees it)</label>
              <input id={ids.image} type="file" accept="image/png,image/jpeg" onChange={(e) => void chooseImage(e.target.files?.[0])} />
              {pixels && <PixelImage pixels={pixels} label="The image as the model sees it" scale={4} />}
            </div>
          )}
          {modality === 'interaction' && (
            <div className="form-grid">
              <div className="field">
                <label htmlFor={ids.user}>User</label>
                <input id={ids.user} value={user} onChange={(e) => setUser(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor={ids.item}>Item</label>
                <input id={ids.item} value={item} onChange={(e) => setItem(e.target.value)} />
              </div>
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy || runId === null || !task || input() === null}>
              {busy ? 'Predicting…' : 'Predict'}
            </button>
          </div>
        </form>
        <ErrorNotice error={runs.error} title="Cannot list runs" />
        <ErrorNotice error={error} title="No prediction" />
      </Card>
      {prediction && (
        <Card title="Prediction">
          <PredictionView prediction={prediction} pixels={modality === 'image' ? pixels : null} />
        </Card>
      )}
    </div>
  );
}
