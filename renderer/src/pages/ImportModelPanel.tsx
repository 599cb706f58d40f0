// Importing an exported model folder back into the workbench as a new run.
import { useState } from 'react';
import { useClient } from '../api/api-context.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PathField } from '../components/PathField.tsx';
import { navigate } from '../hooks/use-hash-route.ts';

export function ImportModelPanel() {
  const client = useClient();
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const { id } = await client.call('runs.import', { dir: dir.trim() });
      navigate('history', id);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
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
