// The two Electron IPC channels: every API call goes through one, every event through the other.
export const IPC_INVOKE_CHANNEL = 'workbench:invoke';
export const IPC_EVENT_CHANNEL = 'workbench:event';
