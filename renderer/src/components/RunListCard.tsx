// A card that lists runs: refresh, the listing's error, a line when there are none, and a table
// whose middle columns the page chooses by name. The run id comes first; the last column holds
// the page's own action for each run.
import type { ReactNode } from 'react';
import type { RunSummary } from '../../../shared/contract.ts';
import { formatDate, formatLatest } from '../format.ts';
import type { Query } from '../hooks/use-query.ts';
import { Card } from './Card.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { StatusBadge } from './StatusBadge.tsx';

interface RunColumn {
  title: string;
  /** Class of the body cells (the header stays plain). */
  className?: string;
  cell: (run: RunSummary) => ReactNode;
}

const RUN_COLUMNS = {
  dataset: { title: 'Dataset', cell: (r) => r.datasets.join(', ') },
  domains: { title: 'Domains', cell: (r) => r.datasets.join(', ') },
  status: { title: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
  parent: { title: 'Parent', className: 'num', cell: (r) => r.parent ?? '—' },
  latest: { title: 'Latest', className: 'mono small', cell: (r) => formatLatest(r.latest) },
  backend: { title: 'Backend', cell: (r) => r.backend },
  created: { title: 'Created', cell: (r) => formatDate(r.createdAt) },
} satisfies Record<string, RunColumn>;

export type RunColumnName = keyof typeof RUN_COLUMNS;

export function RunListCard({
  title,
  runs,
  empty,
  columns,
  action,
}: {
  /** The card's heading and the table's accessible name. */
  title: string;
  runs: Query<RunSummary[]>;
  /** What the card says when the list is empty. */
  empty: string;
  columns: readonly RunColumnName[];
  action: (run: RunSummary) => ReactNode;
}) {
  const chosen: RunColumn[] = columns.map((name) => RUN_COLUMNS[name]);
  return (
    <Card title={title} actions={<button type="button" onClick={runs.reload}>Refresh</button>}>
      <ErrorNotice error={runs.error} title="Cannot list runs" />
      {runs.data && runs.data.length === 0 && <p className="muted">{empty}</p>}
      {runs.data && runs.data.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                {chosen.map((c) => (
                  <th key={c.title} scope="col">
                    {c.title}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.id}</td>
                  {chosen.map((c) => (
                    <td key={c.title} className={c.className}>
                      {c.cell(r)}
                    </td>
                  ))}
                  <td>{action(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
