// The application menu. Menu items that act on the UI send a `menu` command event the renderer
// listens to; reload exists only in development. The workbench home (the store, datasets,
// models) is named in the File menu and opens in the system's file manager.
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  send: (command: 'add-dataset' | 'import-model' | 'export-run') => void;
  development: boolean;
  /** The workbench home folder, shown in the menu. */
  home: string;
  openHome: () => void | Promise<void>;
}

export function buildMenu({ send, development, home, openHome }: MenuOptions): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Add dataset…', accelerator: 'CmdOrCtrl+O', click: () => send('add-dataset') },
        { label: 'Import model…', accelerator: 'CmdOrCtrl+I', click: () => send('import-model') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send('export-run') },
        { type: 'separator' },
        { label: 'Open Workbench Home in File Manager', click: () => void openHome() },
        { label: `Home: ${home}`, enabled: false },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        ...(development ? ([{ role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: `MoE Workbench ${app.getVersion()}`, enabled: false }] },
  ];
  return Menu.buildFromTemplate(template);
}
