// Subscribes to one API event while the component is mounted. The handler may change between
// renders without resubscribing.
import { useEffect, useRef } from 'react';
import type { EventName, EventOf } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';

export function useEvent<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): void {
  const client = useClient();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => client.on(event, (payload) => handlerRef.current(payload)), [client, event]);
}
