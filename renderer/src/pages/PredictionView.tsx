// A prediction and how the gate routed it: the experts' weights for the whole input, then per
// token (text) or per patch (image).
import type { ResponseOf } from '../../../shared/contract.ts';
import { SERIES_COLORS } from '../components/chart-data.ts';
import { HeatCell } from '../components/HeatCell.tsx';
import { MatrixTable } from '../components/MatrixTable.tsx';
import { PixelImage } from '../components/PixelImage.tsx';
import { formatNumber } from '../format.ts';

type Prediction = ResponseOf<'predict'>;

function PatchGrid({ perToken, experts, pixels }: { perToken: NonNullable<Prediction['routing']['perToken']>; experts: string[]; pixels: string | null }) {
  const side = Math.round(Math.sqrt(perToken.length));
  if (side * side !== perToken.length) return null;
  return (
    <div className="patch-view">
      <div className="patch-stack">
        {pixels && <PixelImage pixels={pixels} label="The input image" scale={6} />}
        <div className="patch-grid" style={{ gridTemplateColumns: `repeat(${side}, 1fr)` }} role="img" aria-label="Top expert of each image patch">
          {perToken.map((t, i) => {
            const top = t.weights.reduce((best, w, e) => (w > (t.weights[best] ?? -1) ? e : best), 0);
            return <span key={i} className="patch" style={{ background: SERIES_COLORS[top % SERIES_COLORS.length], opacity: 0.25 + 0.5 * (t.weights[top] ?? 0) }} title={`${t.token}: ${experts[top]} ${formatNumber(t.weights[top] ?? 0, 3)}`} />;
          })}
        </div>
      </div>
      <ul className="legend" aria-label="Expert colours">
        {experts.map((e, i) => (
          <li key={e}>
            <span className="swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} /> {e}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PredictionView({ prediction, pixels }: { prediction: Prediction; pixels: string | null }) {
  const experts = prediction.routing.experts.map((e) => e.expert);
  const scores = Object.entries(prediction.scores ?? {}).sort((a, b) => b[1] - a[1]);
  const perToken = prediction.routing.perToken ?? [];
  const predicted = Array.isArray(prediction.prediction) ? prediction.prediction.join(' ') : String(prediction.prediction);
  return (
    <div className="prediction" data-testid="prediction">
      <p className="prediction-value">
        <span className="muted">{prediction.task}:</span> <strong>{predicted}</strong>
      </p>
      <div className="columns">
        {scores.length > 0 && (
          <div>
            <h3>Scores</h3>
            <ul className="load-bars" aria-label="Scores">
              {scores.map(([label, score]) => (
                <li key={label}>
                  <span className="load-name">{label}</span>
                  <span className="load-track">
                    <span className="load-fill" style={{ width: `${Math.min(1, Math.max(0, score)) * 100}%` }} />
                  </span>
                  <span className="load-value">{formatNumber(score, 3)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div>
          <h3>Gate weights</h3>
          <ul className="load-bars" aria-label="Gate weight per expert">
            {prediction.routing.experts.map((e) => (
              <li key={e.expert}>
                <span className="load-name">{e.expert}</span>
                <span className="load-track">
                  <span className="load-fill" style={{ width: `${Math.min(1, e.weight) * 100}%` }} />
                </span>
                <span className="load-value">{formatNumber(e.weight, 3)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {perToken.length > 0 && pixels !== null && <PatchGrid perToken={perToken} experts={experts} pixels={pixels} />}
      {perToken.length > 0 && <h3>{pixels ? 'Gate weights per patch' : 'Gate weights per token'}</h3>}
      {perToken.length > 0 && (
        <MatrixTable
          className="heatmap-table"
          label={pixels ? 'Gate weights per patch' : 'Gate weights per token'}
          corner={pixels ? 'patch' : 'token'}
          columns={experts}
          rows={perToken.map((t) => t.token)}
          rowHeaderClassName="mono"
          cells={(i) =>
            perToken[i]!.weights.map((w, e) => (
              <HeatCell key={e} shade={w}>
                {w.toFixed(2)}
              </HeatCell>
            ))
          }
        />
      )}
    </div>
  );
}
