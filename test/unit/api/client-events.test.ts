// The client reports an event it cannot hand on (a payload that fails its contract schema, a name
// the contract lacks, a message a transport cannot read as an event) instead of dropping it in
// silence: once per event however many handlers listen, through onInvalidEvent or, by default, a
// console warning; over a plain transport, the desktop bridge and serve's WebSocket alike.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { createBridge } from '../../../electron/preload/bridge.ts';
import { createEventProblems } from '../../../renderer/src/api/event-problems.ts';
import { createHttpTransport } from '../../../renderer/src/api/http-transport.ts';
import { createIpcTransport } from '../../../renderer/src/api/ipc-transport.ts';
import { createClient, UNREADABLE_EVENT, type InvalidEvent, type Transport } from '../../../shared/client.ts';
import { IPC_EVENT_CHANNEL } from '../../../shared/ipc-channels.ts';
import { APP_FRAME, FakeIpc } from '../ipc/fake-ipc.ts';

/** A transport whose events the test sends by hand. */
function manualTransport() {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const malformed = new Set<(message: string) => void>();
  const transport: Transport = {
    invoke: () => Promise.resolve({ ok: true, value: null }),
    subscribe(listener, onMalformed) {
      listeners.add(listener);
      if (onMalformed) malformed.add(onMalformed);
      return () => {
        listeners.delete(listener);
        if (onMalformed) malformed.delete(onMalformed);
      };
    },
  };
  return {
    transport,
    send: (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload)),
    garble: (message: string) => malformed.forEach((m) => m(message)),
    subscribers: () => listeners.size,
  };
}

const status = { id: 3, status: 'running', error: null };

describe('client: invalid events are reported', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands valid events to every handler and reports each invalid one once, with its name and the failing field', () => {
    const t = manualTransport();
    const problems: InvalidEvent[] = [];
    const client = createClient(t.transport, { onInvalidEvent: (p) => problems.push(p) });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = client.on('run.status', (s) => a.push(s));
    const offB = client.on('run.status', (s) => b.push(s.id));
    expect(t.subscribers()).toBe(1);
    t.send('run.status', status);
    t.send('run.status', { id: 'x', status: 'exploded', error: null });
    t.send('run.exploded', { id: 3 });
    t.garble('an event frame that is not JSON');
    expect(a).toEqual([status]);
    expect(b).toEqual([3]);
    expect(problems.map((p) => p.event)).toEqual(['run.status', 'run.exploded', UNREADABLE_EVENT]);
    expect(problems[0]!.message).toMatch(/^id: .*; status: /);
    expect(problems[1]!.message).toBe('not an event of the API contract');
    expect(problems[2]!.message).toBe('an event frame that is not JSON');
    offA();
    expect(t.subscribers()).toBe(1);
    offB();
    expect(t.subscribers()).toBe(0);
  });

  it('a handler that throws does not keep the event from the others', async () => {
    const t = manualTransport();
    const client = createClient(t.transport, { onInvalidEvent: () => undefined });
    const seen: number[] = [];
    const thrown = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    client.on('run.status', () => {
      throw new Error('a broken handler');
    });
    client.on('run.status', (s) => seen.push(s.id));
    t.send('run.status', status);
    expect(seen).toEqual([3]);
    expect(((await thrown) as Error).message).toBe('a broken handler');
  });

  it('warns on the console when no callback is given', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const t = manualTransport();
    createClient(t.transport).on('run.progress', () => undefined);
    t.send('run.progress', { id: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/an event was dropped: run\.progress: phase: /);
  });

  it('the page keeps the latest problem and the count for its notice, and warns on the console', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const problems = createEventProblems();
    const changes = vi.fn();
    problems.subscribe(changes);
    const t = manualTransport();
    createClient(t.transport, { onInvalidEvent: problems.report }).on('run.status', () => undefined);
    t.send('run.status', { id: 1 });
    t.send('demo.progress', { status: 'exploded' });
    expect(problems.snapshot()).toMatchObject({ count: 2, latest: { event: 'demo.progress' } });
    expect(warn).toHaveBeenCalledTimes(2);
    problems.dismiss();
    expect(problems.snapshot()).toBeNull();
    expect(changes).toHaveBeenCalledTimes(3);
  });

  it('desktop: the bridge reports a message without an event name; a bad payload is reported by the client', () => {
    const ipc = new FakeIpc();
    const problems: InvalidEvent[] = [];
    const client = createClient(createIpcTransport(createBridge(ipc.renderer(APP_FRAME)) as WorkbenchBridge), { onInvalidEvent: (p) => problems.push(p) });
    const seen: unknown[] = [];
    const off = client.on('run.status', (s) => seen.push(s));
    ipc.webContents.send(IPC_EVENT_CHANNEL, 42, status);
    ipc.webContents.send(IPC_EVENT_CHANNEL, 'run.status', { ...status, status: 'exploded' });
    ipc.webContents.send(IPC_EVENT_CHANNEL, 'run.status', status);
    off();
    expect(seen).toEqual([status]);
    expect(problems).toEqual([
      { event: UNREADABLE_EVENT, message: 'an event message without an event name (number)' },
      { event: 'run.status', message: expect.stringMatching(/^status: /) },
    ]);
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  describe('serve: the WebSocket transport', () => {
    let server: Server | null = null;
    afterEach(() => server?.close());

    it('reports frames that are not JSON or have no event name, and invalid payloads', async () => {
      server = createServer();
      const sockets = new WebSocketServer({ server, path: '/events' });
      sockets.on('connection', (ws) => {
        ws.send('not json {');
        ws.send(JSON.stringify({ payload: status }));
        ws.send(JSON.stringify({ event: 'run.status', payload: { id: -1, status: 'running', error: null } }));
        ws.send(JSON.stringify({ event: 'run.status', payload: status }));
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const problems: InvalidEvent[] = [];
      const client = createClient(createHttpTransport(origin, 't'), { onInvalidEvent: (p) => problems.push(p) });
      const seen = new Promise<unknown>((resolve) => client.on('run.status', resolve));
      expect(await seen).toEqual(status);
      expect(problems).toEqual([
        { event: UNREADABLE_EVENT, message: 'an event frame that is not JSON (not json {)' },
        { event: UNREADABLE_EVENT, message: 'an event frame without an event name' },
        { event: 'run.status', message: expect.stringMatching(/^id: /) },
      ]);
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    });
  });
});
