// What the preload (electron/preload/index.ts) exposes to the page: three named functions,
// nothing else. Absent in a browser (serve mode).
import type { Envelope } from '../../../shared/contract.ts';

declare global {
  interface WorkbenchBridge {
    invoke(method: string, request: unknown): Promise<Envelope>;
    subscribe(listener: (event: string, payload: unknown) => void, malformed?: (message: string) => void): () => void;
    /** The file system path of a file dropped on the page ('' when it has none). */
    pathForFile(file: File): string;
  }
  interface Window {
    workbench?: WorkbenchBridge;
  }
}

export {};
