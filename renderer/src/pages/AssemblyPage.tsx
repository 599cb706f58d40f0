// Assembly: choose experts and router settings (form and JSON editor over one draft), start
// the run, and watch it route; compare router methods on the same experts (router bench,
// `#/assembly/bench/ID`); remove an expert from a finished assembly.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { assemblyConfigJsonSchema } from '../../../shared/config.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import type { MarkerSummary } from '../components/MonacoJsonEditor.tsx';
import { RunListCard } from '../components/RunListCard.tsx';
import { navigate } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { AssemblyConfigForm } from './AssemblyConfigForm.tsx';
import { checkDraft, draftText, initialConfigText, parseDraft } from './assembly-config-text.ts';
import { AssemblyRunView } from './AssemblyRunView.tsx';
import { RouterBenchForm } from './RouterBenchForm.tsx';
import { RouterBenchView } from './RouterBenchView.tsx';

// Monaco is large: it loads when this page first opens, not with the app.
const MonacoJsonEditor = lazy(() => import('../components/MonacoJsonEditor.tsx'));

const SCHEMA = assemblyConfigJsonSchema();
const SCHEMA_URI = 'moe-workbench://schemas/assembly-config.json';
const MODEL_URI = 'moe-workbench://config/assembly.json';

export function AssemblyPage({ bench }: { bench: number | null }) {
  const client = useClient();
  const experts = useRuns({ kind: 'expert', status: 'completed' });
  const assemblies = useRuns({ kind: 'assembly' });
  const [initialText] = useState(initialConfigText);
  const [text, setText] = useState(initialText);
  // Problems are shown once the user has acted (edited the config or the form): a fresh page
  // opens without red marks for choices not yet made.
  const acted = text !== initialText;
  const [editorMarkers, setEditorMarkers] = useState<MarkerSummary[]>([]);
  const [started, setStarted] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const draft = parseDraft(text);
  const check = useMemo(() => checkDraft(text), [text]);
  const from = typeof draft?.from === 'number' ? draft.from : null;
  const parent = useQuery(() => (from === null ? Promise.resolve(null) : client.call('runs.show', { id: from })), [client, from]);
  const parentExperts = (parent.data?.experts ?? []).map((e) => e.run);

  // Editing the config clears the last refusal: it was about the old text.
  useEffect(() => setStartError(null), [text]);

  const editorErrors = editorMarkers.filter((m) => m.severity === 'error');
  const canStart = draft !== null && check.config !== null && editorErrors.length === 0 && !busy;

  async function start() {
    if (!check.config) return;
    setBusy(true);
    setStartError(null);
    try {
      const { id } = await client.call('runs.assemble', check.config);
      setStarted(id);
      setSelected(null);
      assemblies.reload();
    } catch (failure) {
      setStartError(failure);
    } finally {
      setBusy(false);
    }
  }

  const shown = selected ?? started;
  const completedAssemblies = (assemblies.data ?? []).filter((a) => a.status === 'completed');

  return (
    <div className="page">
      <h1>Assembly</h1>
      <Card
        title="New assembly"
        actions={
          <button type="button" className="primary" disabled={!canStart} onClick={() => void start()}>
            {busy ? 'Starting…' : from !== null ? `Grow assembly ${from}` : 'Start assembly'}
          </button>
        }
      >
        <div className="assembly-editor">
          <div>
            <h3>Settings</h3>
            <ErrorNotice error={experts.error} title="Cannot list expert runs" />
            {draft ? (
              <AssemblyConfigForm draft={draft} onChange={(next) => setText(draftText(next))} experts={experts.data ?? []} assemblies={completedAssemblies} growFromExperts={parentExperts} />
            ) : (
              <p className="notice notice-warn">The JSON does not parse: fix it in the editor to use the form again.</p>
            )}
          </div>
          <div>
            <h3>Config as JSON</h3>
            <Suspense fallback={<p className="muted">Loading the editor…</p>}>
              <MonacoJsonEditor
                value={text}
                onChange={setText}
                schema={SCHEMA}
                schemaUri={SCHEMA_URI}
                modelUri={MODEL_URI}
                extraProblems={check.ruleProblems}
                label="Assembly config JSON"
                onMarkers={setEditorMarkers}
                validate={acted}
              />
            </Suspense>
            {/* Whatever the editor did not mark still says why the run cannot start. */}
            {acted && check.config === null && editorMarkers.length === 0 && check.allProblems.length > 0 && (
              <ul className="problem-list" aria-label="Config problems">
                {check.allProblems.map((p, i) => (
                  <li key={i}>
                    <span className="mono">{p.path.join('.') || '(config)'}</span>: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <ErrorNotice error={startError} title="The assembly did not start" />
      </Card>
      {shown !== null && (
        <AssemblyRunView
          key={shown}
          id={shown}
          onRemoveStarted={(id) => {
            setStarted(id);
            setSelected(null);
            assemblies.reload();
          }}
        />
      )}
      <Card title="Router bench">
        <p className="muted">The same experts under several router methods, one assembly each, compared per domain against the oracle.</p>
        <RouterBenchForm onStarted={(id) => navigate('assembly', 'bench', id)} />
      </Card>
      {bench !== null && <RouterBenchView key={bench} id={bench} />}
      <RunListCard
        title="Assembly runs"
        runs={assemblies}
        empty="No assemblies yet."
        columns={['domains', 'status', 'parent', 'created']}
        action={(r) => (
          <button type="button" onClick={() => setSelected(r.id)} aria-pressed={shown === r.id}>
            Watch run {r.id}
          </button>
        )}
      />
    </div>
  );
}
