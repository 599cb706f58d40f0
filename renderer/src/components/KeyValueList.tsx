// A record of named values (stats, versions, settings) as a definition list; nested values
// are shown as compact JSON so nothing is hidden.
import { formatValue } from '../format.ts';

export function KeyValueList({ entries, label }: { entries: [string, unknown][]; label?: string }) {
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <dl className="kv" aria-label={label}>
      {entries.map(([key, value]) => (
        <div key={key} className="kv-row">
          <dt>{key}</dt>
          <dd className={typeof value === 'object' && value !== null ? 'mono wrap' : ''}>{formatValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
