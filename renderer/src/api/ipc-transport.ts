// The desktop transport: the preload's two functions, used as they are.
import type { Transport } from '../../../shared/client.ts';

export function createIpcTransport(bridge: WorkbenchBridge): Transport {
  return {
    invoke: (method, request) => bridge.invoke(method, request),
    subscribe: (listener, malformed) => bridge.subscribe(listener, malformed),
  };
}
