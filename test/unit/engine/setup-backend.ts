// Every engine test runs on the backend the app would pick here (wasm without tfjs-node).
import { initBackend } from '../../../electron/engine/compute/backend.ts';

export async function useBackend(): Promise<string> {
  return (await initBackend()).backend;
}
