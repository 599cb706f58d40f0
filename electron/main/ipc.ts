// The one place that touches ipcMain: every call is checked for its sender and then handed to
// the contract dispatcher, which validates the message before any handler sees it.
import { ipcMain, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels.ts';
import type { Dispatch } from '../api/dispatcher.ts';
import { isTrustedSender } from './sender-check.ts';

export function serveApiOverIpc(dispatch: Dispatch, trustedProcessIds: () => ReadonlySet<number>): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, request: unknown) => {
    const frame = event.senderFrame;
    const sender = frame ? { url: frame.url, processId: frame.processId, isTop: frame.parent === null } : null;
    if (!isTrustedSender(sender, trustedProcessIds(), process.env.ELECTRON_RENDERER_URL)) {
      return { ok: false, error: { code: 'invalid_request', message: 'untrusted sender' } };
    }
    return dispatch(method, request);
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}

export function sendEvent(target: WebContents, event: string, payload: unknown): void {
  if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, payload);
}
