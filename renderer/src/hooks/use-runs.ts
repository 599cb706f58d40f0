// The run list for a filter, refreshed whenever any run changes status.
import type { RequestOf } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { useEvent } from './use-event.ts';
import { useQuery } from './use-query.ts';

export function useRuns(filter: RequestOf<'runs.list'>) {
  const client = useClient();
  const key = JSON.stringify(filter);
  const query = useQuery(() => client.call('runs.list', filter), [client, key]);
  useEvent('run.status', () => query.reload());
  return query;
}
