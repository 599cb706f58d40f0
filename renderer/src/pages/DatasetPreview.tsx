// A few normalized records of a dataset, shown the way each kind reads best: tagged sentences,
// labelled texts, image thumbnails drawn from their pixels, interaction rows.
import type { DomainKind } from '../../../shared/domain.ts';
import { PixelImage } from '../components/PixelImage.tsx';
import { formatValue } from '../format.ts';

type Row = Record<string, unknown>;

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function SyntaxPreview({ rows }: { rows: Row[] }) {
  return (
    <ol className="preview-sentences">
      {rows.map((row, i) => {
        const tokens = asStrings(row.tokens);
        const tags = asStrings(row.tags);
        return (
          <li key={i}>
            {tokens.map((token, t) => (
              <span key={t} className="tagged-token">
                <span className="token">{token}</span>
                <span className="tag">{tags[t] ?? ''}</span>
              </span>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

function TexturePreview({ rows }: { rows: Row[] }) {
  return (
    <ul className="preview-images">
      {rows.map((row, i) =>
        typeof row.pixels === 'string' ? (
          <li key={i}>
            <PixelImage pixels={row.pixels} label={`${String(row.label)} (${String(row.source ?? '')})`} />
            <span className="caption">{String(row.label)}</span>
          </li>
        ) : null,
      )}
    </ul>
  );
}

function TablePreview({ rows }: { rows: Row[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Preview records">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} className={typeof row[c] === 'number' ? 'num' : ''}>
                  {formatValue(row[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DatasetPreview({ kind, rows }: { kind: DomainKind; rows: Row[] }) {
  if (rows.length === 0) return <p className="muted">No preview records.</p>;
  if (kind === 'syntax') return <SyntaxPreview rows={rows} />;
  if (kind === 'texture') return <TexturePreview rows={rows} />;
  return <TablePreview rows={rows} />;
}
