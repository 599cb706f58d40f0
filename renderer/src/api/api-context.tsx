// The API client and the host's facts (backend, versions, transport) for every component.
import { createContext, useContext } from 'react';
import type { ApiClient } from '../../../shared/client.ts';
import type { ResponseOf } from '../../../shared/contract.ts';
import type { TransportMode } from './pick-transport.ts';

export interface ApiContextValue {
  client: ApiClient;
  mode: TransportMode;
  info: ResponseOf<'info'> | null;
}

export const ApiContext = createContext<ApiContextValue | null>(null);

export function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApiContext outside <ApiContext>');
  return value;
}

export function useClient(): ApiClient {
  return useApiContext().client;
}
