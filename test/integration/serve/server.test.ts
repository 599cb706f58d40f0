// serve over real sockets: the token gate (HTTP and WebSocket), envelopes for every kind of bad
// request, static files with the CSP, and the loopback-only default.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp.ts';
import { startServer, type RunningServer } from '../../../electron/serve/server.ts';
import { workbenchDouble, type WorkbenchDouble } from './serve-workbench-double.ts';

let parentDir: string;
let staticDir: string;
let server: RunningServer;
let workbench: WorkbenchDouble;
let base: string;

beforeEach(async () => {
  parentDir = mkdtempSync(join(tmpdir(), 'serve-test-'));
  staticDir = join(parentDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir, '..', 'serve-secret.txt'), 'outside');
  workbench = workbenchDouble();
  server = await startServer({ workbench, staticDir, port: 0, maxBodyBytes: 1024 });
  base = `http://127.0.0.1:${server.address.port}`;
});

afterEach(async () => {
  await server.close();
  rmSync(parentDir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${server.token}` });

function post(path: string, body: string, headers: Record<string, string> = auth()) {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

function openSocket(url: string): Promise<{ socket: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('serve: the token', () => {
  it('answers 401 with an empty body to HTTP requests without it or with a wrong one', async () => {
    for (const response of [
      await fetch(`${base}/`),
      await fetch(`${base}/assets/app.js`),
      await post('/api/info', '{}', {}),
      await post('/api/info', '{}', { Authorization: 'Bearer wrong' }),
      await post('/api/info', '{}', { Authorization: `Bearer ${server.token}x` }),
      await fetch(`${base}/?token=nope`),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('answers 200 with it, as a bearer header or in the page address', async () => {
    const api = await post('/api/info', '{}');
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ ok: true, value: { backend: 'cpu' } });
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(server.url).toBe(`${base}/?token=${server.token}`);
  });

  it('lets the page load its own assets through a cookie set with the page', async () => {
    const page = await fetch(server.url);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await fetch(`${base}/assets/app.js`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('refuses a WebSocket without the token (401) and opens one with it', async () => {
    const port = server.address.port;
    expect(await openSocket(`ws://127.0.0.1:${port}/events`)).toEqual({ status: 401 });
    expect(await openSocket(`ws://127.0.0.1:${port}/events?token=wrong`)).toEqual({ status: 401 });
    const opened = await openSocket(`ws://127.0.0.1:${port}/events?token=${server.token}`);
    if (!('socket' in opened)) throw new Error(`socket refused: ${opened.status}`);
    const message = new Promise<unknown>((resolve) => opened.socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    workbench.emit('run.status', { id: 1, status: 'running', error: null });
    expect(await message).toEqual({ event: 'run.status', payload: { id: 1, status: 'running', error: null } });
    opened.socket.close();
  });

  it('refuses a WebSocket on any other path', async () => {
    expect(await openSocket(`ws://127.0.0.1:${server.address.port}/other?token=${server.token}`)).toEqual({ status: 404 });
  });
});

describe('serve: bad requests come back as envelopes', () => {
  it('an invalid request body for a known method', async () => {
    const response = await post('/api/datasets.show', '{"name": 3}');
    expect(response.status).toBe(200);
    const envelope = (await response.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('invalid_request');
    expect(envelope.error.message).toMatch(/^datasets\.show: name/);
  });

  it('a handler error keeps its code', async () => {
    const envelope = await (await post('/api/datasets.show', '{"name":"x"}')).json();
    expect(envelope).toEqual({ ok: false, error: { code: 'not_found', message: 'no dataset named x' } });
  });

  it('an unknown method', async () => {
    const envelope = await (await post('/api/no.such', '{}')).json();
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('a body that is not JSON: 400', async () => {
    const response = await post('/api/info', '{not json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid_request', message: 'request body is not valid JSON' } });
  });

  it('a body over the limit: 413', async () => {
    const response = await post('/api/info', JSON.stringify({ pad: 'x'.repeat(4096) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('an API call that is not a POST: 405', async () => {
    const response = await fetch(`${base}/api/info`, { headers: auth() });
    expect(response.status).toBe(405);
  });

  it('an unknown path: 404, and no way out of the static folder', async () => {
    expect((await fetch(`${base}/nothing-here.js`, { headers: auth() })).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/serve-secret.txt`, { headers: auth() })).status).toBe(404);
    expect((await fetch(`${base}/..%2fserve-secret.txt`, { headers: auth() })).status).toBe(404);
  });
});

describe('serve: static files and the network', () => {
  it('sends the same Content-Security-Policy as the desktop window', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('listens on loopback only by default', async () => {
    expect(server.address.host).toBe('127.0.0.1');
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!outside) return; // no other interface on this machine: the bound address above is the check
    const reached = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: outside.address, port: server.address.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });

  it('stops sending events and frees the port on close', async () => {
    expect(workbench.listenerCount()).toBe(1);
    await server.close();
    expect(workbench.listenerCount()).toBe(0);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
