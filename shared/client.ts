// The typed API client the UI uses. A transport only moves envelopes and events; this client
// gives them types and validates what it receives, whichever transport carries them.
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
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): () => void;
}

export function createClient(transport: Transport): ApiClient {
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
      return transport.subscribe((name, payload) => {
        if (name !== event) return;
        const parsed = events[event].safeParse(payload);
        if (parsed.success) handler(parsed.data as EventOf<typeof event>);
      });
    },
  };
}
