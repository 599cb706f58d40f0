// One explained example: its prediction against its label, every unit (word, patch, user/item
// pair) coloured by its first-choice expert with the weight as intensity (top-k on hover), and
// the counterfactual table: what each expert alone would have predicted.
import type { ExplainExample, Explanation, PredictionValue } from '../../../shared/explore.ts';
import { PixelImage } from '../components/PixelImage.tsx';
import { formatNumber } from '../format.ts';
import { expertColor, withAlpha } from './expert-colors.ts';

export function showValue(v: PredictionValue | null): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.join(' ');
  return typeof v === 'number' ? formatNumber(v, 3) : v;
}

function hover(u: ExplainExample['units'][number]): string {
  return `${u.unit}: ${u.experts.map((e) => `${e.expert} ${formatNumber(e.weight, 3)}`).join(', ')}${u.dropped ? ' (over capacity)' : ''}`;
}

function Units({ example, kind, experts }: { example: ExplainExample; kind: Explanation['kind']; experts: string[] }) {
  if (kind === 'texture') {
    const side = Math.round(Math.sqrt(example.units.length));
    return (
      <div className="patch-stack">
        <PixelImage pixels={example.input} label={`Example ${example.index} image`} scale={6} />
        <div className="patch-grid" style={{ gridTemplateColumns: `repeat(${side}, 1fr)` }} role="img" aria-label="First-choice expert of each patch">
          {example.units.map((u, i) => (
            <span key={i} className="patch unit" data-expert={u.top1} title={hover(u)} style={{ background: withAlpha(expertColor(experts, u.top1), 0.2 + 0.6 * u.experts[0].weight) }} />
          ))}
        </div>
      </div>
    );
  }
  if (kind === 'recommendation') {
    return (
      <ul className="plain-list" aria-label="Pair routing">
        {example.units.map((u, i) => (
          <li key={i}>
            <span className="unit token" data-expert={u.top1} title={hover(u)} style={{ background: withAlpha(expertColor(experts, u.top1), u.experts[0].weight) }}>
              {u.unit}
            </span>{' '}
            {u.experts.map((e) => (
              <span key={e.expert} className="mono small">
                {e.expert} {formatNumber(e.weight, 3)}{' '}
              </span>
            ))}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <p className="token-line" aria-label="Tokens by first-choice expert">
      {example.units.map((u, i) => (
        <span key={i} className="unit token" data-expert={u.top1} title={hover(u)} style={{ background: withAlpha(expertColor(experts, u.top1), u.experts[0].weight) }}>
          {u.unit}
        </span>
      ))}
    </p>
  );
}

export function ExampleView({ example, explanation }: { example: ExplainExample; explanation: Explanation }) {
  const { experts, kind } = explanation;
  const verdict = example.correct === null ? null : example.correct ? 'correct' : 'wrong';
  return (
    <article className="example" aria-label={`Example ${example.index}`} data-index={example.index}>
      <header className="example-head">
        <strong>#{example.index}</strong>
        <span>
          label <span className="mono">{showValue(example.label)}</span>
        </span>
        <span>
          prediction <span className="mono">{showValue(example.prediction)}</span>
        </span>
        {verdict && <span className={`badge ${example.correct ? 'status-completed' : 'status-failed'}`}>{verdict}</span>}
        <span>
          top-1 <span className="swatch" style={{ background: expertColor(experts, example.top1) }} /> {example.top1}
        </span>
        {example.routed_away && <span className="badge">routed away</span>}
        {example.dropped && <span className="badge">dropped</span>}
        <span className="muted small">entropy {formatNumber(example.entropy, 2)}</span>
      </header>
      <Units example={example} kind={kind} experts={experts} />
      <table className="data-table compact" aria-label={`Counterfactual predictions of example ${example.index}`}>
        <thead>
          <tr>
            <th scope="col">routing</th>
            <th scope="col">prediction</th>
            <th scope="col">right?</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">router</th>
            <td className="mono">{showValue(example.prediction)}</td>
            <td>{verdict ?? '—'}</td>
          </tr>
          {experts.map((e) => (
            <tr key={e} data-expert={e}>
              <th scope="row">
                <span className="swatch" style={{ background: expertColor(experts, e) }} /> {e} alone
              </th>
              <td className="mono">{showValue(example.counterfactual[e] ?? null)}</td>
              <td>{example.counterfactual_correct[e] === null ? '—' : example.counterfactual_correct[e] ? 'correct' : 'wrong'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
