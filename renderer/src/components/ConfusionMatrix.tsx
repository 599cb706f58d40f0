// A classification run's confusion matrix (rows: true label, columns: predicted). Every cell is
// a button: choosing it shows the count, the row and column shares and, where the run stored
// them, the examples behind it.
import { useState } from 'react';
import type { Confusion } from '../../../shared/run-results.ts';
import { formatPercent } from '../format.ts';
import { MatrixTable } from './MatrixTable.tsx';

export function ConfusionMatrix({ confusion }: { confusion: Confusion }) {
  const [selected, setSelected] = useState<[number, number] | null>(null);
  const max = Math.max(1, ...confusion.matrix.flat());
  const rowTotal = (t: number) => confusion.matrix[t]?.reduce((a, b) => a + b, 0) ?? 0;
  const colTotal = (p: number) => confusion.matrix.reduce((s, row) => s + (row[p] ?? 0), 0);
  return (
    <div className="confusion">
      <MatrixTable
        className="confusion-table"
        label="Confusion matrix: rows are true labels, columns predicted labels"
        corner="true \ predicted"
        columns={confusion.labels}
        rows={confusion.labels}
        cells={(t, truth) =>
          confusion.labels.map((predicted, p) => {
            const count = confusion.matrix[t]?.[p] ?? 0;
            const strength = count / max;
            const isSelected = selected?.[0] === t && selected?.[1] === p;
            return (
              <td key={predicted} className={t === p ? 'diagonal' : ''}>
                <button
                  type="button"
                  className={`cell-button ${isSelected ? 'selected' : ''}`}
                  style={{ background: t === p ? `hsl(142 60% ${96 - strength * 50}%)` : `hsl(0 70% ${97 - strength * 45}%)` }}
                  aria-pressed={isSelected}
                  aria-label={`true ${truth}, predicted ${predicted}: ${count}`}
                  onClick={() => setSelected(isSelected ? null : [t, p])}
                >
                  {count}
                </button>
              </td>
            );
          })
        }
      />
      {selected && (
        <div className="cell-details" role="status">
          <strong>
            true {confusion.labels[selected[0]]} → predicted {confusion.labels[selected[1]]}
          </strong>
          <p>
            {confusion.matrix[selected[0]]?.[selected[1]] ?? 0} samples: {formatPercent((confusion.matrix[selected[0]]?.[selected[1]] ?? 0) / Math.max(1, rowTotal(selected[0])))} of true{' '}
            {confusion.labels[selected[0]]}, {formatPercent((confusion.matrix[selected[0]]?.[selected[1]] ?? 0) / Math.max(1, colTotal(selected[1])))} of predicted {confusion.labels[selected[1]]}.
          </p>
          {confusion.examples?.[selected[0]]?.[selected[1]]?.length ? (
            <ul className="examples">
              {confusion.examples[selected[0]]![selected[1]]!.map((example, i) => (
                <li key={i} className="mono">
                  {example}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">This run stored no examples per cell.</p>
          )}
        </div>
      )}
    </div>
  );
}
