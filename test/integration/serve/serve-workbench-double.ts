// A small workbench for the serve tests: the real contract dispatcher (so validation is the
// real one) over handlers that answer `info` and refuse the rest, plus an event source the
// test can fire.
import { ApiError } from '../../../shared/contract.ts';
import { methods, type MethodName } from '../../../shared/contract.ts';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher.ts';
import type { ServedWorkbench } from '../../../electron/serve/server.ts';

export interface WorkbenchDouble extends ServedWorkbench {
  emit(event: string, payload: unknown): void;
  listenerCount(): number;
}

export function workbenchDouble(): WorkbenchDouble {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const refuse = () => {
    throw new ApiError('unsupported', 'not in this test');
  };
  const handlers = Object.fromEntries((Object.keys(methods) as MethodName[]).map((m) => [m, refuse])) as unknown as Handlers;
  handlers.info = () => ({ backend: 'cpu', versions: { node: process.versions.node, tfjs: 'test', app: 'test' }, home: '/tmp/none', nativeBackendHint: null });
  handlers['datasets.show'] = ({ name }) => {
    throw new ApiError('not_found', `no dataset named ${name}`);
  };
  return {
    dispatch: createDispatcher(handlers),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    listenerCount: () => listeners.size,
  };
}
