// The preload: two named functions over one channel pair (electron/preload/bridge.ts), never
// ipcRenderer itself, and the path of a file dropped on the page (sandboxed pages see File objects
// without paths; webUtils is Electron's way to ask). The renderer sees them as `window.workbench`
// (typed in renderer/src/api/bridge.d.ts).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('workbench', { ...createBridge(ipcRenderer), pathForFile: (file: File) => webUtils.getPathForFile(file) });
