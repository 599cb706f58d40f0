// The one place that touches ipcMain: it hands Electron's ipcMain to the Electron-free wiring in
// ipc-core.ts (sender check, shape check, then the contract dispatcher).
import { ipcMain, type WebContents } from 'electron';
import type { Dispatch } from '../api/dispatcher.ts';
import { sendEventTo, serveApiOverIpcWith } from './ipc-core.ts';

export function serveApiOverIpc(dispatch: Dispatch, trustedProcessIds: () => ReadonlySet<number>): () => void {
  return serveApiOverIpcWith(ipcMain, dispatch, trustedProcessIds, process.env.ELECTRON_RENDERER_URL);
}

export function sendEvent(target: WebContents, event: string, payload: unknown): void {
  sendEventTo(target, event, payload);
}
