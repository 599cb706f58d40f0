// Which IPC senders the main process answers: only the top frame of our own window, showing our
// own files (or the dev server in development). Kept free of Electron imports so it is testable.
export interface SenderFrame { url: string; processId: number; isTop: boolean }

export function isTrustedSender(frame: SenderFrame | null, trustedProcessIds: ReadonlySet<number>, devServerUrl: string | undefined): boolean {
  if (!frame || !frame.isTop || !trustedProcessIds.has(frame.processId)) return false;
  if (frame.url.startsWith('file://')) return true;
  return devServerUrl !== undefined && devServerUrl !== '' && frame.url.startsWith(devServerUrl);
}
