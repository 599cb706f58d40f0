// Small charts side by side, one per family, under one legend that filters: unticking a series
// name hides it in every chart (a chart left empty goes away).
import { useState } from 'react';
import { LineChart } from './LineChart.tsx';
import type { Family } from './metric-families.ts';

export function SmallMultiples({ families, marker, label }: { families: Family[]; marker?: number | null; label: string }) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const names = [...new Set(families.flatMap((f) => f.series.map((s) => s.label)))].sort();
  const shown = families.map((f) => ({ ...f, series: f.series.filter((s) => !hidden.has(s.label)) })).filter((f) => f.series.length > 0);
  return (
    <div className="small-multiples-block">
      {names.length > 1 && (
        <ul className="legend-filter" aria-label={`${label}: series shown`}>
          {names.map((n) => (
            <li key={n}>
              <label>
                <input
                  type="checkbox"
                  checked={!hidden.has(n)}
                  onChange={(e) =>
                    setHidden((h) => {
                      const next = new Set(h);
                      if (e.target.checked) next.delete(n);
                      else next.add(n);
                      return next;
                    })
                  }
                />
                {n}
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="small-multiples" aria-label={label}>
        {shown.map((f) => (
          <LineChart key={f.title} title={f.title} series={f.series} marker={marker} compact />
        ))}
      </div>
    </div>
  );
}
