// The typed API client the UI uses. A transport only moves envelopes and events; this client
// gives them types and validates what it receives, whichever transport carries them. An event
// that fails validation is reported (onInvalidEvent, by default a console warning), never
// dropped in silence: a UI that stops updating must say why.
import {
  ApiError,
  describeZodError,
  events,
  methods,
  WireError,
  type Envelope,
  type EventName,
  type EventOf,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from './contract.ts';

export interface Transport {
  invoke(method: string, request: unknown): Promise<Envelope>;
  /** `malformed` hears of a message the transport received but could not read as an event at all. */
  subscribe(listener: (event: string, payload: unknown) => void, malformed?: (message: string) => void): () => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): () => void;
}

/** An event the client could not hand on: its name (`(unreadable)` when it had none) and why. */
export interface InvalidEvent {
  event: string;
  message: string;
}

export interface ClientOptions {
  onInvalidEvent?: (problem: InvalidEvent) => void;
}

export const UNREADABLE_EVENT = '(unreadable)';

function warn(problem: InvalidEvent): void {
  console.warn(`moe-workbench: an event was dropped: ${problem.event}: ${problem.message}`);
}

export function createClient(transport: Transport, options: ClientOptions = {}): ApiClient {
  const report = options.onInvalidEvent ?? warn;
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | null = null;

  // One subscription for all handlers, so each event is validated (and reported) once.
  function receive(name: string, payload: unknown): void {
    if (!Object.hasOwn(events, name)) return report({ event: name, message: 'not an event of the API contract' });
    const parsed = events[name as EventName].safeParse(payload);
    if (!parsed.success) return report({ event: name, message: describeZodError(parsed.error) });
    for (const handler of [...(handlers.get(name) ?? [])]) {
      try {
        handler(parsed.data);
      } catch (error) {
        // One failing handler must not starve the others; its error still surfaces.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  return {
    async call(method, request) {
      const envelope = await transport.invoke(method, request);
      if (!envelope.ok) {
        const wire = WireError.safeParse(envelope.error);
        if (!wire.success) throw new ApiError('failed', `malformed error from ${method}`);
        throw new ApiError(wire.data.code, wire.data.message, wire.data.problems);
      }
      const parsed = methods[method].response.safeParse(envelope.value);
      if (!parsed.success) throw new ApiError('failed', `malformed response from ${method}: ${describeZodError(parsed.error)}`);
      return parsed.data as ResponseOf<typeof method>;
    },
    on(event, handler) {
      const forEvent = handlers.get(event) ?? new Set();
      handlers.set(event, forEvent);
      // A fresh function per call, so the same handler subscribed twice is two subscriptions.
      const entry = (payload: unknown) => handler(payload as EventOf<typeof event>);
      forEvent.add(entry);
      unsubscribe ??= transport.subscribe(receive, (message) => report({ event: UNREADABLE_EVENT, message }));
      return () => {
        forEvent.delete(entry);
        if (forEvent.size === 0) handlers.delete(event);
        if (handlers.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
  };
}
