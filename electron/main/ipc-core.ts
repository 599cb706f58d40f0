// The IPC wiring of the contract, Electron-free so it runs in tests against an IpcMainLike pair:
// every call is checked for its sender, then for its shape (a method name and one request), and
// only then handed to the contract dispatcher, which validates the request before any handler.
import type { Dispatch } from '../api/dispatcher.ts';
import type { Envelope } from '../../shared/contract.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels.ts';
import { isTrustedSender } from './sender-check.ts';

/** What an invoke event carries that the check needs (Electron's IpcMainInvokeEvent has it). */
export interface IpcInvokeEventLike {
  senderFrame: { url: string; processId: number; parent: unknown } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of Electron's WebContents used to send events. */
export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

const refuse = (message: string): Envelope => ({ ok: false, error: { code: 'invalid_request', message } });

export function serveApiOverIpcWith(ipc: IpcMainLike, dispatch: Dispatch, trustedProcessIds: () => ReadonlySet<number>, devServerUrl: string | undefined): () => void {
  ipc.handle(IPC_INVOKE_CHANNEL, (event, ...args) => {
    const frame = event?.senderFrame ?? null;
    const sender = frame ? { url: String(frame.url), processId: Number(frame.processId), isTop: frame.parent === null } : null;
    if (!isTrustedSender(sender, trustedProcessIds(), devServerUrl)) return refuse('untrusted sender');
    if (args.length !== 2) return refuse(`an API call is (method, request): got ${args.length} argument${args.length === 1 ? '' : 's'}`);
    const [method, request] = args;
    if (typeof method !== 'string') return refuse('the method name must be a string');
    return dispatch(method, request);
  });
  return () => ipc.removeHandler(IPC_INVOKE_CHANNEL);
}

export function sendEventTo(target: WebContentsLike, event: string, payload: unknown): void {
  if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, payload);
}
