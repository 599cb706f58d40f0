// The desktop shell, kept thin: one window, a menu, native dialogs, and the API served over IPC.
// Everything else (engine, store, training in worker threads) is the same code the CLI runs.
import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import { join } from 'node:path';
import { appLayout } from '../api/app-layout.ts';
import { openWorkbench } from '../api/workbench.ts';
import { serveApiOverIpc, sendEvent } from './ipc.ts';
import { buildMenu } from './menu.ts';
import { boundsFileIn, createMainWindow, hardenSession } from './window.ts';

// A separate profile (its own home, window size and single-instance lock) when asked: the desktop
// smoke test runs the app against a temporary one. Must precede the lock and app ready.
if (process.env.MOE_WORKBENCH_USER_DATA) app.setPath('userData', process.env.MOE_WORKBENCH_USER_DATA);

if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession();
  let win: BrowserWindow | null = null;
  // The same computation in development and in the installed app (see app-layout.ts).
  const layout = appLayout({ packaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath });
  const home = join(app.getPath('userData'), 'workbench');
  const workbench = await openWorkbench({
    home,
    workerEntry: layout.worker,
    samplesDir: layout.samplesDir,
    pickPath: async (what, title) => {
      const owner = win ?? undefined;
      const options = { title, properties: [what === 'folder' ? 'openDirectory' : 'openFile'] as ('openDirectory' | 'openFile')[] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  serveApiOverIpc(workbench.dispatch, () => new Set(win ? [win.webContents.getProcessId()] : []));
  workbench.subscribe((event, payload) => win && sendEvent(win.webContents, event, payload));

  const open = () => {
    win = createMainWindow({
      preload: layout.preload,
      boundsFile: boundsFileIn(app.getPath('userData')),
      devUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
      indexHtml: layout.indexHtml,
    });
    win.on('closed', () => (win = null));
  };
  Menu.setApplicationMenu(
    buildMenu({
      send: (command) => win && sendEvent(win.webContents, 'ui.command', { command }),
      development: !app.isPackaged,
      home,
      openHome: async () => {
        // openPath answers an error message, or '' when the file manager opened the folder.
        const failure = await shell.openPath(home);
        if (failure) void dialog.showMessageBox({ type: 'error', message: 'Cannot open the workbench home', detail: `${home}\n${failure}` });
      },
    }),
  );
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
