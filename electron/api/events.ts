// The event stream of one workbench: training progress, routing statistics, status changes.
// Both transports subscribe here; each listener gets every event.
export type EventListener = (event: string, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // a failing listener (a closed socket, a destroyed window) must not stop the others
      }
    }
  }
}
