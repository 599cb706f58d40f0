// The main window, hardened: isolated, sandboxed, no Node, strict CSP, no navigation away, no
// new windows, no permissions. Its size is remembered between launches.
import { BrowserWindow, session } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export { CONTENT_SECURITY_POLICY };

interface Bounds { width: number; height: number }

function loadBounds(file: string): Bounds {
  try {
    const b = JSON.parse(readFileSync(file, 'utf8')) as Bounds;
    if (b.width >= 640 && b.height >= 480) return b;
  } catch {
    // first launch or unreadable: defaults
  }
  return { width: 1280, height: 820 };
}

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function createMainWindow(options: { preload: string; boundsFile: string; devUrl?: string; indexHtml: string }): BrowserWindow {
  const bounds = loadBounds(options.boundsFile);
  const win = new BrowserWindow({
    ...bounds,
    show: false,
    title: 'MoE Workbench',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links in a new window; we open none.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const [width, height] = win.getSize();
    try {
      writeFileSync(options.boundsFile, JSON.stringify({ width, height }));
    } catch {
      // remembering the size is a nicety; never block closing on it
    }
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.indexHtml);
  return win;
}

export function boundsFileIn(userData: string): string {
  return join(userData, 'window.json');
}
