// wabt (the WebAssembly Binary Toolkit) compiled to JS: text format to binary, SIMD and multi-value on.
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

export const WASM_DIR = fileURLToPath(new URL('../electron/engine/compute/wasm/', import.meta.url));

export async function assembleWat(text: string, file: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(file, text, { simd: true, multi_value: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
