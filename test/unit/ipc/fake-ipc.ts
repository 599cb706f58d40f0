// An in-memory IpcMainLike / IpcRendererLike / WebContentsLike triple (Bruno's pattern): what
// Electron's IPC does between the preload and main, with every argument and answer passed through
// structuredClone as Electron serializes them, and the sender frame each call comes from.
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from '../../../electron/main/ipc-core.ts';
import type { IpcRendererLike } from '../../../electron/preload/bridge.ts';

export interface FrameLike { url: string; processId: number; parent: unknown }

type Listener = (event: unknown, ...args: unknown[]) => void;

export class FakeIpc {
  private readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  private readonly listeners = new Map<string, Set<Listener>>();

  readonly main: IpcMainLike = {
    handle: (channel, listener) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    },
    removeHandler: (channel) => void this.handlers.delete(channel),
  };

  /** The renderer side, as seen from a page in `frame` (null: a call with no frame). */
  renderer(frame: FrameLike | null): IpcRendererLike {
    return {
      invoke: async (channel, ...args) => {
        const handler = this.handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
        return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)));
      },
      on: (channel, listener) => {
        if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
        this.listeners.get(channel)!.add(listener);
      },
      removeListener: (channel, listener) => void this.listeners.get(channel)?.delete(listener),
    };
  }

  /** The window's webContents, sending to every renderer listener. */
  readonly webContents: WebContentsLike & { destroyed: boolean } = {
    destroyed: false,
    isDestroyed: () => this.webContents.destroyed,
    send: (channel, ...args) => {
      for (const l of this.listeners.get(channel) ?? []) l({ sender: 'main' }, ...structuredClone(args));
    },
  };

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

export const APP_FRAME: FrameLike = { url: 'file:///app/out/renderer/index.html', processId: 7, parent: null };
export const TRUSTED = () => new Set([7]);
