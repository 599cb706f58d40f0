// Sweeps: assemble the same experts under a grid (or random draws) of settings, each trial a
// child run; the results table with the best trial per metric, parallel coordinates whose axis
// brushes filter the table, and a scatter of any two columns.
import { useId, useMemo, useState } from 'react';
import { parseGrid, type Sweep, type SweepAxis } from '../../../shared/explore.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatNumber } from '../format.ts';
import { useAction } from '../hooks/use-action.ts';
import { useEvent } from '../hooks/use-event.ts';
import { hrefTo, navigate } from '../hooks/use-hash-route.ts';
import { useQuery } from '../hooks/use-query.ts';
import { useRuns } from '../hooks/use-runs.ts';
import { ParallelCoordinates } from './ParallelCoordinates.tsx';
import { Scatter } from './Scatter.tsx';
import { passesBrushes, sweepColumns, type Brushes } from './sweep-columns.ts';
import { ExpertRunChecklist } from '../components/ExpertRunChecklist.tsx';

interface AxisDraft { field: string; values: string }

function SweepForm({ onStarted }: { onStarted: (id: number) => void }) {
  const client = useClient();
  const ids = { random: useId(), budget: useId(), seed: useId() };
  const experts = useRuns({ kind: 'expert', status: 'completed' });
  const [chosen, setChosen] = useState<number[]>([]);
  const [axes, setAxes] = useState<AxisDraft[]>([
    { field: 'top_k', values: '1,2' },
    { field: 'capacity_factor', values: '1,1.25,null' },
  ]);
  const [random, setRandom] = useState('');
  const [budget, setBudget] = useState('');
  const [seed, setSeed] = useState('42');
  const [touched, setTouched] = useState(false);
  const action = useAction();

  const randomN = random.trim() === '' ? null : Number(random);
  let parsed: SweepAxis[] | null = null;
  let problem: string | null = null;
  try {
    parsed = axes.filter((a) => a.field.trim()).map((a) => parseGrid(`${a.field.trim()}=${a.values}`, randomN !== null));
  } catch (error) {
    problem = (error as Error).message;
  }
  if (!problem && chosen.length === 0) problem = 'choose at least one expert';
  if (!problem && parsed?.length === 0) problem = 'give at least one field';
  const trials = parsed && randomN === null ? parsed.reduce((n, a) => n * ('values' in a ? a.values.length : 1), 1) : randomN;

  return (
    <form
      aria-label="New sweep"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (problem || !parsed) return;
        const axesToSend = parsed;
        void action.run(async () => {
          const { id } = await client.call('sweeps.start', { experts: chosen, axes: axesToSend, random: randomN, budget_s: budget.trim() ? Number(budget) : null, seed: Number(seed) || 0 });
          onStarted(id);
        });
      }}
    >
      <fieldset>
        <legend>Experts</legend>
        <ExpertRunChecklist runs={experts.data} chosen={chosen} setChosen={setChosen} />
      </fieldset>
      <h3>Fields</h3>
      <div className="axis-rows">
        {axes.map((a, i) => (
          <div key={i} className="axis-row">
            <div className="field">
              <label htmlFor={`axis-field-${i}`}>Field {i + 1}</label>
              <input id={`axis-field-${i}`} className="mono" value={a.field} onChange={(e) => setAxes(axes.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))} placeholder="top_k, router.method, ..." />
            </div>
            <div className="field wide">
              <label htmlFor={`axis-values-${i}`}>Values {i + 1}</label>
              <input id={`axis-values-${i}`} className="mono" value={a.values} onChange={(e) => setAxes(axes.map((x, j) => (j === i ? { ...x, values: e.target.value } : x)))} placeholder="1,2 or (random) 0.001..0.01" />
            </div>
            <button type="button" onClick={() => setAxes(axes.filter((_, j) => j !== i))} aria-label={`Remove field ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
      </div>
      <p>
        <button type="button" onClick={() => setAxes([...axes, { field: '', values: '' }])}>
          Add field
        </button>
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.random}>Random draws (empty: full grid)</label>
          <input id={ids.random} type="number" min={1} value={random} onChange={(e) => setRandom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.budget}>Budget (seconds)</label>
          <input id={ids.budget} type="number" min={1} value={budget} onChange={(e) => setBudget(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.seed}>Seed</label>
          <input id={ids.seed} type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Starting…' : `Start sweep${trials ? ` (${trials} trials)` : ''}`}
          </button>
        </div>
      </div>
      {touched && problem && (
        <p className="notice notice-warn" role="alert">
          {problem}
        </p>
      )}
      <ErrorNotice error={action.error} title="The sweep did not start" />
    </form>
  );
}

function SweepResults({ sweep }: { sweep: Sweep }) {
  const columns = useMemo(() => sweepColumns(sweep), [sweep]);
  const [brushes, setBrushes] = useState<Brushes>({});
  const [xKey, setXKey] = useState('');
  const [yKey, setYKey] = useState('');
  const ids = { x: useId(), y: useId() };
  const kept = (t: Sweep['trials'][number]) => passesBrushes(columns, brushes, t);
  const rows = sweep.trials.filter(kept);
  const bestIndices = new Set(Object.values(sweep.best_index));
  const x = columns.find((c) => c.key === xKey) ?? columns[0];
  const y = columns.find((c) => c.key === yKey) ?? columns.find((c) => c.metric) ?? columns[columns.length - 1];
  return (
    <>
      <p>
        <StatusBadge status={sweep.status} /> {sweep.trials.length} trials · seed {sweep.seed}
        {Object.entries(sweep.best_index).map(([d, i]) => (
          <span key={d}>
            {' '}
            · best for {d} ({sweep.selection[d]?.higher_is_better ? 'max' : 'min'} {sweep.selection[d]?.metric}): trial {i}
          </span>
        ))}
      </p>
      <h3>Parallel coordinates</h3>
      {columns.length > 1 ? (
        <ParallelCoordinates columns={columns} trials={sweep.trials} brushes={brushes} onBrush={(key, range) => setBrushes((b) => {
          const next = { ...b };
          if (range) next[key] = range;
          else delete next[key];
          return next;
        })} />
      ) : (
        <p className="muted">One column only.</p>
      )}
      {Object.keys(brushes).length > 0 && (
        <p>
          Brushed: {Object.keys(brushes).join(', ')}{' '}
          <button type="button" onClick={() => setBrushes({})}>
            Clear brushes
          </button>
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table compact" aria-label="Sweep trials">
          <thead>
            <tr>
              <th scope="col">trial</th>
              <th scope="col">run</th>
              <th scope="col">status</th>
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.index} data-trial={t.index}>
                <td className="num">{t.index}{bestIndices.has(t.index) ? ' ★' : ''}</td>
                <td>{t.id !== null ? <a href={hrefTo('history', t.id)}>run {t.id}</a> : '—'}</td>
                <td>{t.status}</td>
                {columns.map((c) => {
                  const v = c.value(t);
                  const best = c.metric && sweep.best_index[c.metric.dataset] === t.index && sweep.selection[c.metric.dataset]?.metric === c.metric.name;
                  return (
                    <td key={c.key} className={`${typeof v === 'number' ? 'num' : 'mono'}${best ? ' best-cell' : ''}`}>
                      {v === undefined ? '—' : typeof v === 'number' ? formatNumber(v, 4) : String(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Scatter</h3>
      <div className="form-grid">
        <ColumnSelect id={ids.x} label="X" columns={columns} value={x?.key ?? ''} onChange={setXKey} />
        <ColumnSelect id={ids.y} label="Y" columns={columns} value={y?.key ?? ''} onChange={setYKey} />
      </div>
      {x && y && <Scatter x={x} y={y} trials={sweep.trials} kept={kept} />}
    </>
  );
}

export function SweepsPage({ focus }: { focus: number | null }) {
  const client = useClient();
  const sweeps = useQuery(() => client.call('sweeps.list', {}), [client]);
  const shown = focus ?? sweeps.data?.[0]?.id ?? null;
  const sweep = useQuery(() => (shown === null ? Promise.resolve(null) : client.call('sweeps.show', { id: shown })), [client, shown]);
  useEvent('run.status', () => {
    sweeps.reload();
    sweep.reload();
  });
  return (
    <div className="page">
      <h1>Sweeps</h1>
      <Card title="New sweep">
        <SweepForm onStarted={(id) => navigate('sweeps', id)} />
      </Card>
      <Card title="Sweeps">
        <ErrorNotice error={sweeps.error} title="Cannot list sweeps" />
        {sweeps.data?.length === 0 && <p className="muted">No sweeps yet.</p>}
        <ul className="plain-list" aria-label="Sweep runs">
          {(sweeps.data ?? []).map((s) => (
            <li key={s.id}>
              <a href={hrefTo('sweeps', s.id)} aria-current={s.id === shown ? 'true' : undefined}>
                sweep {s.id}
              </a>{' '}
              <StatusBadge status={s.status} /> {s.trials.filter((t) => t.status === 'completed').length}/{s.trials.length} trials · {s.axes.map((a) => a.path).join(', ')}
            </li>
          ))}
        </ul>
      </Card>
      {sweep.data && (
        <Card title={`Sweep ${sweep.data.id}`}>
          <ErrorNotice error={sweep.error} title="Cannot load the sweep" />
          <SweepResults key={sweep.data.id} sweep={sweep.data} />
        </Card>
      )}
    </div>
  );
}

/** One axis of the scatter: a column chosen by its key. */
function ColumnSelect({ id, label, columns, value, onChange }: { id: string; label: string; columns: readonly { key: string; title: string }[]; value: string; onChange: (key: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {columns.map((c) => (
          <option key={c.key} value={c.key}>
            {c.title}
          </option>
        ))}
      </select>
    </div>
  );
}
