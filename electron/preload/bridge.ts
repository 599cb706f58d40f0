// What the preload exposes, built over an IpcRendererLike so that it runs in tests: two named
// functions over one channel pair, never the IPC object itself.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface Bridge {
  invoke(method: string, request: unknown): Promise<unknown>;
  /** `malformed` hears of a message on the event channel that has no event name. */
  subscribe(listener: (event: string, payload: unknown) => void, malformed?: (message: string) => void): () => void;
}

export function createBridge(ipc: IpcRendererLike): Bridge {
  return {
    invoke: (method, request) => ipc.invoke(IPC_INVOKE_CHANNEL, method, request),
    subscribe: (listener, malformed) => {
      const forward = (_e: unknown, event: unknown, payload: unknown) => {
        if (typeof event === 'string') listener(event, payload);
        else malformed?.(`an event message without an event name (${typeof event})`);
      };
      ipc.on(IPC_EVENT_CHANNEL, forward as (event: unknown, ...args: unknown[]) => void);
      return () => void ipc.removeListener(IPC_EVENT_CHANNEL, forward as (event: unknown, ...args: unknown[]) => void);
    },
  };
}
