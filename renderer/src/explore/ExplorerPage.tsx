// The routing explorer: pick a trained model and one of its domains, browse that domain's test
// examples (or type an input) with the expert of every token, patch or pair, the prediction
// against the label, and what each expert alone would have predicted; filter to the
// misclassified, the routed away, the dropped or the uncertain; the router regret of the domain.
import { useId, useState } from 'react';
import type { RequestOf } from '../../../shared/contract.ts';
import { EXPLAIN_FILTERS, type ExplainFilter, type Explanation } from '../../../shared/explore.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatPercent } from '../format.ts';
import { useAction } from '../hooks/use-action.ts';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { expertColor } from './expert-colors.ts';
import { ExampleView } from './ExampleView.tsx';

const FILTER_TITLES: Record<ExplainFilter, string> = {
  misclassified: 'misclassified',
  'routed-away': 'routed away from its own expert',
  dropped: 'dropped by capacity',
  uncertain: 'high router entropy',
};

export function ExplorerPage() {
  const client = useClient();
  const ids = { run: useId(), task: useId(), filter: useId(), limit: useId(), input: useId() };
  const runs = useRuns({ status: 'completed' });
  const models = (runs.data ?? []).filter((r) => r.kind !== 'eval');
  const [runId, setRunId] = useState<number | null>(null);
  const run = runId ?? models.find((r) => r.kind === 'assembly')?.id ?? models[0]?.id ?? null;
  const detail = useQuery(() => (run === null ? Promise.resolve(null) : client.call('runs.show', { id: run })), [client, run]);
  const tasks = detail.data?.datasets ?? [];
  const [taskName, setTaskName] = useState('');
  const task = tasks.includes(taskName) ? taskName : (tasks[0] ?? '');
  const [filter, setFilter] = useState<ExplainFilter | ''>('');
  const [limit, setLimit] = useState(20);
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<Explanation | null>(null);
  const [regrets, setRegrets] = useState<{ run: number; rows: Explanation[] } | null>(null);
  const action = useAction();
  const regretAction = useAction();
  const kind = useQuery(() => client.call('datasets.list', {}), [client]).data?.find((d) => d.name === task)?.kind ?? null;

  function explain(request: RequestOf<'explain'>) {
    void action.run(async () => setResult(await client.call('explain', request)));
  }

  function typedInput(): RequestOf<'explain'>['input'] {
    if (kind === 'recommendation') {
      const [user = '', item = ''] = typed.split(',').map((s) => s.trim());
      return { user, item };
    }
    return { text: typed };
  }

  return (
    <div className="page">
      <h1>Explorer</h1>
      <Card title="Choose examples">
        <form
          className="form-grid"
          aria-label="Explain examples"
          onSubmit={(e) => {
            e.preventDefault();
            if (run !== null && task) explain({ id: run, task, split: 'test', limit, ...(filter ? { filter } : {}) });
          }}
        >
          <div className="field">
            <label htmlFor={ids.run}>Model</label>
            <select id={ids.run} value={run ?? ''} onChange={(e) => setRunId(Number(e.target.value))}>
              {models.map((r) => (
                <option key={r.id} value={r.id}>
                  run {r.id} · {r.kind} · {r.datasets.join(', ')}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.task}>Domain</label>
            <select id={ids.task} value={task} onChange={(e) => setTaskName(e.target.value)}>
              {tasks.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.filter}>Filter</label>
            <select id={ids.filter} value={filter} onChange={(e) => setFilter(e.target.value as ExplainFilter | '')}>
              <option value="">all test examples</option>
              {EXPLAIN_FILTERS.map((f) => (
                <option key={f} value={f}>
                  {FILTER_TITLES[f]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.limit}>Show at most</label>
            <input id={ids.limit} type="number" min={1} max={500} value={limit} onChange={(e) => setLimit(Math.max(1, Number(e.target.value) || 1))} />
          </div>
          <div className="field">
            <button type="submit" className="primary" disabled={run === null || !task || action.busy}>
              {action.busy ? 'Explaining…' : 'Explain test split'}
            </button>
          </div>
        </form>
        {kind !== null && kind !== 'texture' && (
          <form
            className="form-grid"
            aria-label="Explain a typed input"
            onSubmit={(e) => {
              e.preventDefault();
              if (run !== null && task && typed.trim()) explain({ id: run, task, input: typedInput() });
            }}
          >
            <div className="field wide">
              <label htmlFor={ids.input}>{kind === 'recommendation' ? 'user,item' : 'Text'}</label>
              <input id={ids.input} value={typed} onChange={(e) => setTyped(e.target.value)} />
            </div>
            <div className="field">
              <button type="submit" disabled={run === null || !typed.trim() || action.busy}>
                Explain input
              </button>
            </div>
          </form>
        )}
        <ErrorNotice error={runs.error ?? detail.error} title="Cannot list models" />
        <ErrorNotice error={action.error} title="Cannot explain" />
      </Card>
      {run !== null && tasks.length > 0 && (
        <Card
          title="Router regret per domain"
          actions={
            <button type="button" disabled={regretAction.busy} onClick={() => void regretAction.run(async () => setRegrets({ run, rows: await Promise.all(tasks.map((t) => client.call('explain', { id: run, task: t, split: 'test', limit: 1 }))) }))}>
              {regretAction.busy ? 'Computing…' : `Compute for run ${run}`}
            </button>
          }
        >
          <p className="muted small">The share of a domain's test examples the router gets wrong and one expert alone gets right.</p>
          <ErrorNotice error={regretAction.error} title="Cannot compute the regret" />
          {regrets?.run === run && (
            <table className="data-table compact" aria-label="Router regret per domain">
              <thead>
                <tr>
                  <th scope="col">domain</th>
                  <th scope="col" className="num">examples</th>
                  <th scope="col" className="num">errors</th>
                  <th scope="col" className="num">fixable by one expert</th>
                  <th scope="col" className="num">regret</th>
                </tr>
              </thead>
              <tbody>
                {regrets.rows.map((r) => (
                  <tr key={r.task}>
                    <th scope="row">{r.task}</th>
                    <td className="num">{r.counts.examples}</td>
                    <td className="num">{r.counts.errors}</td>
                    <td className="num">{r.counts.fixable}</td>
                    <td className="num">{formatPercent(r.regret)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
      {result && (
        <Card title={`${result.task}${result.split ? ` · ${result.split}` : ''}${result.filter ? ` · ${FILTER_TITLES[result.filter]}` : ''}`}>
          <p role="status" aria-label="Explanation summary">
            {result.examples.length} of {result.counts.matching} matching examples
            {result.regret !== null && (
              <>
                {' '}· {result.counts.examples} examples, {result.counts.errors} errors · router regret <strong data-testid="regret">{formatPercent(result.regret)}</strong> ({result.counts.fixable} errors one expert alone would have fixed)
              </>
            )}
          </p>
          <ul className="legend" aria-label="Expert colours">
            {result.experts.map((e) => (
              <li key={e} data-expert={e}>
                <span className="swatch" style={{ background: expertColor(result.experts, e) }} /> {e}
                {e === result.own_expert ? ' (own)' : ''}
              </li>
            ))}
          </ul>
          <div className="examples" aria-label="Examples">
            {result.examples.map((x) => (
              <ExampleView key={`${x.index}`} example={x} explanation={result} />
            ))}
          </div>
        </Card>
      )}
    </div>
  );
}
