// The serve transport: API calls as `POST /api/<method>` with the token as a bearer header,
// events over one WebSocket at /events that reconnects after a drop (the server restarting,
// a laptop waking up) so the live views keep updating. A frame that is not an event is reported
// to the subscribers' `malformed` callbacks, not dropped in silence.
import type { Transport } from '../../../shared/client.ts';
import type { Envelope } from '../../../shared/contract.ts';

type Listener = (event: string, payload: unknown) => void;
type Malformed = (message: string) => void;

const RECONNECT_DELAY_MS = 1000;

function failure(message: string): Envelope {
  return { ok: false, error: { code: 'failed', message } };
}

export function createHttpTransport(origin: string, token: string): Transport {
  const listeners = new Set<Listener>();
  const malformedListeners = new Set<Malformed>();
  const malformed = (message: string) => {
    for (const m of [...malformedListeners]) m(message);
  };
  let socket: WebSocket | null = null;
  let reconnect: ReturnType<typeof setTimeout> | null = null;

  function connect(): void {
    const wsUrl = new URL('/events', origin);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl.searchParams.set('token', token);
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.onmessage = (message) => {
      let parsed: { event?: unknown; payload?: unknown } | null;
      try {
        parsed = JSON.parse(String(message.data)) as { event?: unknown; payload?: unknown } | null;
      } catch {
        return malformed(`an event frame that is not JSON (${String(message.data).slice(0, 80)})`);
      }
      if (typeof parsed?.event !== 'string') return malformed('an event frame without an event name');
      for (const listener of [...listeners]) listener(parsed.event, parsed.payload);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size > 0 && reconnect === null) {
        reconnect = setTimeout(() => {
          reconnect = null;
          if (listeners.size > 0) connect();
        }, RECONNECT_DELAY_MS);
      }
    };
  }

  return {
    async invoke(method, request) {
      let response: Response;
      try {
        response = await fetch(new URL(`/api/${method}`, origin), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(request ?? {}),
        });
      } catch (error) {
        return failure(`cannot reach the workbench server: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (response.status === 401) return failure('the server refused the token: open the address printed by `moe-workbench serve`');
      try {
        return (await response.json()) as Envelope;
      } catch {
        return failure(`unreadable answer from the server (HTTP ${response.status})`);
      }
    },
    subscribe(listener, onMalformed) {
      listeners.add(listener);
      if (onMalformed) malformedListeners.add(onMalformed);
      if (socket === null && reconnect === null) connect();
      return () => {
        listeners.delete(listener);
        if (onMalformed) malformedListeners.delete(onMalformed);
      };
    },
  };
}
