// Export a run's model to a folder (chosen in the native dialog on the desktop, typed in serve).
import { useEffect, useId, useRef, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract.ts';
import { ApiError } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PathField } from '../components/PathField.tsx';
import { useAction } from '../hooks/use-action.ts';

export function ExportPanel({ id, autoFocus }: { id: number; autoFocus: boolean }) {
  const client = useClient();
  const forceId = useId();
  const [dir, setDir] = useState('');
  const [force, setForce] = useState(false);
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<ResponseOf<'runs.export'> | null>(null);
  const box = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!autoFocus) return;
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.querySelector('input')?.focus();
  }, [autoFocus]);

  async function submit() {
    setDone(null);
    await run(async () => setDone(await client.call('runs.export', force ? { id, dir: dir.trim(), force } : { id, dir: dir.trim() })));
  }

  return (
    <form
      ref={box}
      className="form"
      aria-label={`Export run ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PathField label="Export to folder" value={dir} onChange={setDir} what="folder" dialogTitle={`Export run ${id}`} required />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !dir.trim()}>
          {busy ? 'Exporting…' : `Export run ${id}`}
        </button>
        <span className="checkbox-field">
          <input id={forceId} type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          <label htmlFor={forceId}>Replace the folder if it exists</label>
        </span>
      </div>
      {done && (
        <div className="notice notice-ok" role="status" data-testid="export-done">
          Exported to <span className="mono">{done.dir}</span>: {done.files.length} files ({done.files.join(', ')}).
        </div>
      )}
      <ErrorNotice error={error} title={error instanceof ApiError && error.code === 'conflict' ? 'The folder exists: tick “Replace” to overwrite it' : 'Not exported'} />
    </form>
  );
}
