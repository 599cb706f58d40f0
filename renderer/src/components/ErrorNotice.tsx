// An API failure as a person reads it: the message, and for invalid input every problem with
// its file and line.
import { ApiError } from '../../../shared/contract.ts';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const problems = error instanceof ApiError ? (error.problems ?? []) : [];
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      {code && <span className="code-tag">{code}</span>}
      <p>{errorMessage(error)}</p>
      {problems.length > 0 && (
        <table className="problems" aria-label="Validation problems">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Line</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td className="mono">{p.file}</td>
                <td className="num">{p.line ?? '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
