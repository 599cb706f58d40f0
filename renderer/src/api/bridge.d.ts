// What the preload (electron/preload/index.ts) exposes to the page: two named functions, nothing
// else. Absent in a browser (serve mode).
import type { Envelope } from '../../../shared/contract.ts';

declare global {
  interface WorkbenchBridge {
    invoke(method: string, request: unknown): Promise<Envelope>;
    subscribe(listener: (event: string, payload: unknown) => void): () => void;
  }
  interface Window {
    workbench?: WorkbenchBridge;
  }
}

export {};
