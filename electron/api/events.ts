// The event stream of one workbench: training progress, routing statistics, status changes.
// Both transports subscribe here; each listener gets every event. `emit` takes the payload its
// event's contract schema describes, so a wrong payload fails to compile instead of being
// dropped by the client's validation at the other end.
import type { z } from 'zod';
import type { EventName, EventOf, Events } from '../../shared/contract.ts';

export type EventListener = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to one event, with its payload typed (the bus's own emitters are typed, so no check is needed here). */
  on<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): () => void {
    return this.subscribe((name, payload) => {
      if (name === event) handler(payload as EventOf<E>);
    });
  }

  emit<E extends EventName>(event: E, payload: z.input<Events[E]>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // a failing listener (a closed socket, a destroyed window) must not stop the others
      }
    }
  }
}
