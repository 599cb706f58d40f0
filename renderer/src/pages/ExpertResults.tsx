// An expert's final figures: test and validation metrics, epochs, the confusion matrix of a
// classifier and, for an auto-tuned expert, every trial with the one chosen.
import type { ExpertRunResult } from '../../../shared/run-results.ts';
import { ConfusionMatrix } from '../components/ConfusionMatrix.tsx';
import { NumberTable } from '../components/NumberTable.tsx';
import { formatDuration, formatNumber } from '../format.ts';
import { hrefTo } from '../hooks/use-hash-route.ts';

export function expertFigures(result: ExpertRunResult): [string, number | null][] {
  return [
    ...Object.entries(result.metrics?.test ?? {}).map(([k, v]): [string, number | null] => [`test ${k}`, v]),
    ...Object.entries(result.metrics?.validation ?? {}).map(([k, v]): [string, number | null] => [`validation ${k}`, v]),
    ...(result.epochsRun !== undefined ? [['epochs run', result.epochsRun] as [string, number]] : []),
    ...(result.bestEpoch !== undefined ? [['best epoch', result.bestEpoch] as [string, number]] : []),
  ];
}

function TuneTrials({ tune }: { tune: NonNullable<ExpertRunResult['tune']> }) {
  return (
    <>
      <h3>Tuning</h3>
      <p className="muted">
        {tune.trials.length} trials in {formatDuration(tune.seconds ?? null)} of a {formatDuration(tune.budget_s)} budget
        {tune.chosen !== undefined ? `, chosen by ${tune.selected_by ?? 'validation'}: run ${tune.chosen}` : ', none chosen'}.
      </p>
      <table className="data-table compact" aria-label="Tuning trials">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">status</th>
            <th scope="col">changed</th>
            <th scope="col">validation</th>
            <th scope="col" className="num">
              seconds
            </th>
          </tr>
        </thead>
        <tbody>
          {tune.trials.map((t) => (
            <tr key={t.run} aria-current={t.run === tune.chosen ? 'true' : undefined}>
              <td>
                <a href={hrefTo('history', t.run)}>{t.run}</a>
                {t.run === tune.chosen ? ' ★' : ''}
              </td>
              <td>{t.status}</td>
              <td className="mono small">{Object.keys(t.overrides).length === 0 ? 'defaults' : JSON.stringify(t.overrides)}</td>
              <td className="mono small">{t.validation ? Object.entries(t.validation).map(([k, v]) => `${k} ${formatNumber(v, 3)}`).join(' · ') : '—'}</td>
              <td className="num">{formatNumber(t.seconds, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ExpertResults({ result, label }: { result: ExpertRunResult; label: string }) {
  const figures = expertFigures(result);
  return (
    <>
      <div className="columns">
        {figures.length > 0 && (
          <div>
            <h3>Results</h3>
            <NumberTable rows={figures} label={label} />
          </div>
        )}
        {result.confusion && (
          <div>
            <h3>Confusion matrix</h3>
            <ConfusionMatrix confusion={result.confusion} />
          </div>
        )}
      </div>
      {result.tune && <TuneTrials tune={result.tune} />}
    </>
  );
}
