// The preload: two named functions over one channel pair, never ipcRenderer itself, and the path
// of a file dropped on the page (sandboxed pages see File objects without paths; webUtils is
// Electron's way to ask). The renderer sees them as `window.workbench` (typed in
// renderer/src/api/bridge.d.ts).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels.ts';

contextBridge.exposeInMainWorld('workbench', {
  invoke: (method: string, request: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, request),
  subscribe: (listener: (event: string, payload: unknown) => void) => {
    const forward = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
