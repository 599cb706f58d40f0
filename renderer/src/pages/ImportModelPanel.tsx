// Importing an exported model folder back into the workbench as a new run.
import { useState } from 'react';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PathField } from '../components/PathField.tsx';
import { useAction } from '../hooks/use-action.ts';
import { navigate } from '../hooks/use-hash-route.ts';

export function ImportModelPanel() {
  const client = useClient();
  const [dir, setDir] = useState('');
  const { busy, error, run } = useAction();

  async function submit() {
    await run(async () => {
      const { id } = await client.call('runs.import', { dir: dir.trim() });
      navigate('history', id);
    });
  }

  return (
    <form
      className="form"
      aria-label="Import a model"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PathField label="Exported model folder" value={dir} onChange={setDir} what="folder" dialogTitle="Choose an exported model folder" required />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !dir.trim()}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      <ErrorNotice error={error} title="Not imported" />
    </form>
  );
}
