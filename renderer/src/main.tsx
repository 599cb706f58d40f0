// Start-up: pick the transport (desktop IPC or serve), make the typed client (its invalid events
// reported on the page), ask the engine for its facts once, and render the app.
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../shared/client.ts';
import type { ResponseOf } from '../../shared/contract.ts';
import { ApiContext, type ApiContextValue } from './api/api-context.tsx';
import { createEventProblems } from './api/event-problems.ts';
import { pickTransport } from './api/pick-transport.ts';
import { App } from './App.tsx';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { EventProblemNotice } from './components/EventProblemNotice.tsx';
import './styles.css';

const { transport, mode } = pickTransport();
const eventProblems = createEventProblems();
const client = createClient(transport, { onInvalidEvent: eventProblems.report });

function Root() {
  const [info, setInfo] = useState<ResponseOf<'info'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    client.call('info', {}).then(setInfo, setError);
  }, []);
  const value = useMemo<ApiContextValue>(() => ({ client, mode, info }), [info]);
  return (
    <ApiContext value={value}>
      {error !== null && (
        <div className="startup-error">
          <ErrorNotice error={error} title="Cannot reach the workbench engine" />
        </div>
      )}
      <EventProblemNotice problems={eventProblems} />
      <App />
    </ApiContext>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
