// serve over real sockets: the token gate (HTTP and WebSocket), envelopes for every kind of bad
// request, static files with the CSP, and the loopback-only default.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('refuses absolute paths, NUL bytes and symbolic links out of the static folder', async () => {
    symlinkSync(join(parentDir, 'serve-secret.txt'), join(staticDir, 'assets', 'link.txt'));
    symlinkSync(parentDir, join(staticDir, 'up'));
    writeFileSync(join(staticDir, 'assets', 'real.txt'), 'inside');
    symlinkSync(join(staticDir, 'assets', 'real.txt'), join(staticDir, 'assets', 'inner-link.txt'));
    const get = async (path: string) => {
      const answer = await raw(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.address.port}\r\nAuthorization: Bearer ${server.token}`);
      return { status: status(answer), leaked: answer.includes('outside') };
    };
    for (const path of ['/assets/link.txt', '/up/serve-secret.txt', `/${encodeURIComponent(join(parentDir, 'serve-secret.txt'))}`, `//${parentDir.slice(1)}/serve-secret.txt`, '/assets/app.js%00.html', '/%2e%2e%2fserve-secret.txt', '/assets/..%5c..%5cserve-secret.txt']) {
      const r = await get(path);
      expect(r.leaked, path).toBe(false);
      expect([400, 404], path).toContain(r.status);
    }
    expect(await (await fetch(`${base}/assets/inner-link.txt`, { headers: auth() })).text()).toBe('inside');
  });
});

/** A raw HTTP/1.1 request, so that Host, Origin and the path are exactly what the test says. */
function raw(head: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: server.address.port });
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}
const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);

describe('serve: DNS rebinding, cross-origin requests, slow clients', () => {
  const infoRequest = (headers: string) => raw(`POST /api/info HTTP/1.1\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 0\r\n${headers}`);

  it('answers Host 127.0.0.1, localhost and [::1] with its port, and refuses any other Host with 403', async () => {
    const port = server.address.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) expect(status(await infoRequest(`Host: ${host}`)), host).toBe(200);
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `192.168.1.10:${port}`, 'bad host']) {
      expect(status(await infoRequest(`Host: ${host}`)), host).toBe(403);
    }
    expect(status(await raw(`POST /api/info HTTP/1.0\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 0`))).toBe(403);
  });

  it('refuses a request from another origin with 403, and allows its own', async () => {
    const port = server.address.port;
    expect(status(await infoRequest(`Host: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}`))).toBe(200);
    for (const origin of ['http://evil.example', `http://localhost:${port}`, 'null', `https://127.0.0.1:${port}`]) {
      expect(status(await infoRequest(`Host: 127.0.0.1:${port}\r\nOrigin: ${origin}`)), origin).toBe(403);
    }
  });

  it('refuses a WebSocket from another origin or Host', async () => {
    const opened = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.address.port}/events?token=${server.token}`, { headers });
        ws.once('open', () => (ws.close(), resolve('open')));
        ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.once('error', () => resolve('error'));
      });
    expect(await opened({ Origin: `http://127.0.0.1:${server.address.port}` })).toBe('open');
    expect(await opened({ Origin: 'http://evil.example' })).toBe('403');
    expect(await opened({ Host: `evil.example:${server.address.port}` })).toBe('403');
  });

  it('a client that never finishes its headers does not hold the server', async () => {
    const slow = connect({ host: '127.0.0.1', port: server.address.port });
    await new Promise((r) => slow.once('connect', r));
    slow.write(`POST /api/info HTTP/1.1\r\nHost: 127.0.0.1:${server.address.port}\r\n`);
    const answer = await post('/api/info', '{}');
    expect(answer.status).toBe(200);
    slow.destroy();
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
    const reaches = (address: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: server.address.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await reaches('127.0.0.1')).toBe(true);
    // Every other address of this machine, plus 127.0.0.2 (loopback, but not the bound address:
    // always present on Linux, so the test asserts even on a machine with no other interface).
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && i.address !== '127.0.0.1')
      .map((i) => i!.address);
    const targets = [...new Set(['127.0.0.2', ...others])];
    expect(targets.length).toBeGreaterThanOrEqual(1);
    for (const address of targets) expect(await reaches(address), address).toBe(false);
  });

  it('stops sending events and frees the port on close', async () => {
    expect(workbench.listenerCount()).toBe(1);
    await server.close();
    expect(workbench.listenerCount()).toBe(0);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
