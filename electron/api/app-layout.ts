// Where the desktop app finds what it loads at run time, in one place for both layouts:
// development (`electron-vite dev` / `npm start`: the app root is this checkout) and packaged
// (electron-builder: the app root is `<resources>/app.asar`, data files sit beside it in
// `<resources>`, and what must be a real file on disk in `<resources>/app.asar.unpacked`).
// Electron-free, so the packaging test computes the same paths the app does.
import { join, sep } from 'node:path';

/** Files of the electron-vite build, relative to the app root (see electron.vite.config.ts). */
export const BUILD_OUTPUT = {
  main: 'out/main/index.js',
  /** The training worker's entry: a fixed name, so the packaging check can name it. */
  worker: 'out/main/worker.js',
  preload: 'out/preload/index.cjs',
  renderer: 'out/renderer/index.html',
} as const;

/** Where the built-in samples sit: in the checkout, and in the packaged app's resources. */
export const SAMPLES_SOURCE = 'resources/samples';
export const SAMPLES_RESOURCE = 'samples';

export interface HostPaths {
  /** `app.isPackaged`. */
  packaged: boolean;
  /** `app.getAppPath()`: the checkout in development, `<resources>/app.asar` when packaged. */
  appPath: string;
  /** `process.resourcesPath`: Electron's own resources in development, the app's when packaged. */
  resourcesPath: string;
}

export interface AppLayout {
  main: string;
  worker: string;
  preload: string;
  indexHtml: string;
  samplesDir: string;
}

export function appLayout(host: HostPaths): AppLayout {
  const inApp = (relative: string) => join(host.appPath, ...relative.split('/'));
  return {
    main: inApp(BUILD_OUTPUT.main),
    worker: inApp(BUILD_OUTPUT.worker),
    preload: inApp(BUILD_OUTPUT.preload),
    indexHtml: inApp(BUILD_OUTPUT.renderer),
    samplesDir: host.packaged ? join(host.resourcesPath, SAMPLES_RESOURCE) : inApp(SAMPLES_SOURCE),
  };
}

const ASAR = `${sep}app.asar${sep}`;

/**
 * The on-disk path of a file electron-builder unpacked from the archive (a native module, a
 * `.wasm`): Electron's fs reads it through `app.asar` transparently, but dlopen, and anything
 * handed to the operating system, need the real file in `app.asar.unpacked`.
 */
export function unpackedPath(path: string): string {
  const at = path.indexOf(ASAR);
  return at === -1 ? path : `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + ASAR.length)}`;
}
