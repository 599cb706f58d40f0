// A matrix as a scrollable table: a corner heading, a heading per column, and per row a heading
// followed by the cells the caller draws. The confusion matrix, the routing heatmap and the
// per-token gate weights are all read this way.
import type { ReactNode } from 'react';

export function MatrixTable({
  className,
  label,
  corner,
  columns,
  rows,
  rowHeaderClassName,
  cells,
}: {
  className: string;
  label: string;
  /** What the rows and columns are, e.g. `true \ predicted`. */
  corner: string;
  columns: readonly string[];
  rows: readonly string[];
  rowHeaderClassName?: string;
  /** The `<td>` cells of one row (each with its key), given the row's index and heading. */
  cells: (index: number, row: string) => ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={className} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {columns.map((column, c) => (
              <th key={c} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              <th scope="row" className={rowHeaderClassName}>
                {row}
              </th>
              {cells(r, row)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
