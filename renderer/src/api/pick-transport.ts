// Which transport this page uses: the preload's bridge inside the desktop app, otherwise serve's
// HTTP + WebSocket with the token from the page address (`?token=...`).
import type { Transport } from '../../../shared/client.ts';
import { createHttpTransport } from './http-transport.ts';
import { createIpcTransport } from './ipc-transport.ts';

export type TransportMode = 'desktop' | 'serve';

export function pickTransport(): { transport: Transport; mode: TransportMode } {
  if (window.workbench) return { transport: createIpcTransport(window.workbench), mode: 'desktop' };
  const token = new URL(window.location.href).searchParams.get('token') ?? '';
  return { transport: createHttpTransport(window.location.origin, token), mode: 'serve' };
}
