// The application menu. Menu items that act on the UI send a `menu` command event the renderer
// listens to; reload exists only in development.
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export function buildMenu(send: (command: 'add-dataset' | 'import-model' | 'export-run') => void, development: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Add dataset…', accelerator: 'CmdOrCtrl+O', click: () => send('add-dataset') },
        { label: 'Import model…', accelerator: 'CmdOrCtrl+I', click: () => send('import-model') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send('export-run') },
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
