// A named count per bucket (label histogram, rating distribution) as horizontal bars.
import { formatNumber } from '../format.ts';

export function isHistogram(value: unknown): value is Record<string, number> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).length > 0 && Object.values(value).every((v) => typeof v === 'number');
}

export function Histogram({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts);
  const max = Math.max(1e-12, ...entries.map(([, v]) => Math.abs(v)));
  return (
    <figure className="histogram">
      <figcaption>{title}</figcaption>
      <ul aria-label={title}>
        {entries.map(([key, value]) => (
          <li key={key}>
            <span className="hist-key mono">{key}</span>
            <span className="hist-track">
              <span className="hist-fill" style={{ width: `${(Math.abs(value) / max) * 100}%` }} />
            </span>
            <span className="hist-value">{formatNumber(value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
