// The preload: two named functions over one channel pair (electron/preload/bridge.ts), never
// ipcRenderer itself. The renderer sees them as `window.workbench` (typed in
// renderer/src/api/bridge.d.ts).
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('workbench', createBridge(ipcRenderer));
