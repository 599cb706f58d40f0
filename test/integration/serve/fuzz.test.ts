// Hostile requests to serve: 1,000 generated HTTP requests over real sockets (every contract
// method and unknown ones; wrong-typed, oversized, deeply nested, invalid JSON or UTF-8 bodies;
// odd HTTP methods and content types) and 200 generated WebSocket frames. Each is answered with an
// envelope or a 4xx (never a 5xx, a hang or a dropped connection), a handler sees only requests
// its schema accepts, and afterwards the server answers a valid request correctly.
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher.ts';
import { startServer, type RunningServer } from '../../../electron/serve/server.ts';
import { API_ERROR_CODES, ApiError, methods, type MethodName } from '../../../shared/contract.ts';

const NAMES = Object.keys(methods) as MethodName[];
const INFO = { backend: 'wasm', versions: { node: '24', tfjs: '4', app: '0' }, home: '/h', nativeBackendHint: null };
const calls: { method: string; request: unknown }[] = [];
const handlers = Object.fromEntries(
  NAMES.map((name) => [name, (request: unknown) => {
    calls.push({ method: name, request });
    if (name === 'info') return INFO;
    throw new ApiError('unsupported', 'not in this test');
  }]),
) as unknown as Handlers;
const listeners = new Set<(e: string, p: unknown) => void>();

let server: RunningServer;
beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'serve-fuzz-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({
    workbench: { dispatch: createDispatcher(handlers), subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
    staticDir,
    maxBodyBytes: 256 * 1024,
  });
});
afterAll(async () => server?.close());

interface Answer { status: number; body: string }

/** One HTTP request over a fresh connection; rejects on a dropped connection, times out on a hang. */
function send(method: string, path: string, body: Buffer | null, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.address.port, method, path, headers: { Authorization: `Bearer ${server.token}`, Connection: 'close', ...headers }, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${path} within 10 s`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const deepJson = fc.integer({ min: 1, max: 50_000 }).chain((n) => fc.constantFrom(`${'['.repeat(n)}${']'.repeat(n)}`, `${'{"name":'.repeat(n)}1${'}'.repeat(n)}`, `{"id":${'['.repeat(n)}`));
const body = fc.oneof(
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), name: fc.string(), dir: fc.string(), dataset: fc.string(), what: fc.string(), experts: fc.array(fc.integer()), input: fc.jsonValue() }, { requiredKeys: [] }).map((v) => Buffer.from(JSON.stringify(v))),
  deepJson.map((s) => Buffer.from(s)),
  fc.integer({ min: 200_000, max: 600_000 }).map((n) => Buffer.from(JSON.stringify({ name: 'x'.repeat(n) }))),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
  fc.string().map((s) => Buffer.from(s)),
  fc.constant(null),
);
const path = fc.oneof(
  fc.constantFrom(...NAMES).map((m) => `/api/${m}`),
  fc.string({ maxLength: 60 }).map((s) => `/api/${encodeURIComponent(s)}`),
  fc.constantFrom('/api/', '/api/__proto__', '/api/constructor', '/api/info/../runs.list', '/api/%E0%A4%A', '/%00', '/..%2f..%2fetc/passwd', '/'),
);
const httpMethod = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1');

describe('serve under hostile requests', () => {
  it('1,000 generated HTTP requests: envelopes or 4xx, never 5xx/hang/drop; handlers see only valid requests', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(httpMethod, path, body, contentType, async (method, p, b, type) => {
        count++;
        const before = calls.length;
        const answer = await send(method, p, method === 'GET' || method === 'HEAD' ? null : b, { 'Content-Type': type });
        expect(answer.status, `${method} ${p}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${method} ${p}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
        if (answer.status === 200 && p.startsWith('/api/')) {
          const envelope = JSON.parse(answer.body) as { ok: boolean; error?: { code: string } };
          expect(typeof envelope.ok).toBe('boolean');
          if (!envelope.ok) expect(API_ERROR_CODES).toContain(envelope.error!.code);
        }
        for (const call of calls.slice(before)) expect(methods[call.method as MethodName].request.safeParse(call.request).success).toBe(true);
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(count).toBeGreaterThanOrEqual(1000);
    // Alive and correct afterwards.
    const ok = await send('POST', '/api/info', Buffer.from('{}'), { 'Content-Type': 'application/json' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: INFO });
  }, 240_000);

  it('200 generated WebSocket frames are ignored; the socket stays open and still receives events', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.address.port}/events?token=${server.token}`);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const frames = fc.sample(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 5000 }), fc.uint8Array({ maxLength: 5000 }).map((b) => Buffer.from(b))), { numRuns: 200, seed: 5 });
    for (const f of frames) ws.send(f);
    const got = new Promise<string>((resolve) => ws.once('message', (m) => resolve(String(m))));
    await new Promise((r) => setTimeout(r, 200));
    for (const l of listeners) l('run.status', { id: 1, status: 'running', error: null });
    expect(JSON.parse(await got)).toEqual({ event: 'run.status', payload: { id: 1, status: 'running', error: null } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
