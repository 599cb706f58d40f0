// The desktop shell, kept thin: one window, a menu, native dialogs, and the API served over IPC.
// Everything else (engine, store, training in worker threads) is the same code the CLI runs.
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { join } from 'node:path';
import workerPath from '../api/jobs/worker.ts?modulePath';
import { registerSamplesIfEmpty } from '../api/samples.ts';
import { openWorkbench } from '../api/workbench.ts';
import { serveApiOverIpc, sendEvent } from './ipc.ts';
import { buildMenu } from './menu.ts';
import { boundsFileIn, createMainWindow, hardenSession } from './window.ts';

if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession();
  let win: BrowserWindow | null = null;
  const workbench = await openWorkbench({
    home: join(app.getPath('userData'), 'workbench'),
    workerEntry: workerPath,
    pickPath: async (what, title) => {
      const owner = win ?? undefined;
      const options = { title, properties: [what === 'folder' ? 'openDirectory' : 'openFile'] as ('openDirectory' | 'openFile')[] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  await registerSamplesIfEmpty((req) => workbench.dispatch('datasets.add', req), workbench.store.datasets.list().length === 0, join(app.getAppPath(), 'resources', 'samples'));
  serveApiOverIpc(workbench.dispatch, () => new Set(win ? [win.webContents.getProcessId()] : []));
  workbench.subscribe((event, payload) => win && sendEvent(win.webContents, event, payload));

  const open = () => {
    win = createMainWindow({
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      boundsFile: boundsFileIn(app.getPath('userData')),
      devUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
      indexHtml: join(import.meta.dirname, '../renderer/index.html'),
    });
    win.on('closed', () => (win = null));
  };
  Menu.setApplicationMenu(buildMenu((command) => win && sendEvent(win.webContents, 'ui.command', { command }), !app.isPackaged));
  open();
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());
  app.on('will-quit', () => void workbench.close());
}

void main();
