// A list of named numbers (final metrics, latest values) as a two-column table.
import { formatNumber } from '../format.ts';

export function NumberTable({ rows, label, keyHeader = 'metric' }: { rows: [string, number | null][]; label: string; keyHeader?: string }) {
  if (rows.length === 0) return <p className="muted">No values.</p>;
  return (
    <table className="data-table compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{keyHeader}</th>
          <th scope="col" className="num">
            value
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <td className="mono">{key}</td>
            <td className="num">{formatNumber(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
