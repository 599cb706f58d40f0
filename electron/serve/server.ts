// serve: the same UI in a browser. HTTP carries API calls (`POST /api/<method>`, JSON in, an
// envelope out) and the built renderer's files; a WebSocket at /events carries `{event, payload}`.
// Every request needs the random token (compared in constant time); without it the answer is a
// bare 401. Bound to 127.0.0.1 unless a host is given. Against DNS rebinding and cross-site
// requests, a request whose Host is not the bound address (or, on loopback, localhost) or whose
// Origin is another origin gets a bare 403 before anything else is looked at. Bodies are limited,
// and a client that sends its request too slowly is cut off.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '../../shared/contract.ts';
import { SECURITY_HEADERS, sendStaticFile } from './static-files.ts';
import { newToken, requestHasToken, tokenCookieName } from './token.ts';

/** What serve needs of the workbench (electron/api/workbench.ts): calls in, events out. */
export interface ServedWorkbench {
  dispatch(method: string, request: unknown): Promise<Envelope>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface ServeOptions {
  workbench: ServedWorkbench;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 unless given: listening anywhere else must be asked for. */
  host?: string;
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
}

export interface RunningServer {
  /** The page, with its token: open it in a browser. */
  url: string;
  token: string;
  /** Where the socket actually listens (port 0 resolved). */
  address: { host: string; port: number };
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const API_PREFIX = '/api/';
/** A client has this long to send its headers, and this long for its whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const WILDCARD = new Set(['0.0.0.0', '::']);

/** The `host` part of a Host header value (`[::1]:80` -> `::1`), lower-cased, or null when malformed. */
function hostnameOf(hostHeader: string): { name: string; port: string } | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  if (!m) return null;
  return { name: m[1].replace(/^\[|\]$/g, '').toLowerCase(), port: m[2] ?? '80' };
}

const isIpLiteral = (name: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');

/**
 * Whether a Host header names this server: on loopback, 127.0.0.1, ::1 or localhost with our port;
 * on a wildcard bind, an IP address or localhost (never another name: that is DNS rebinding); else
 * exactly the bound address.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const h = hostnameOf(hostHeader);
  if (!h || h.port !== String(port)) return false;
  if (LOOPBACK.has(boundHost)) return LOOPBACK.has(h.name);
  if (WILDCARD.has(boundHost)) return LOOPBACK.has(h.name) || isIpLiteral(h.name);
  return h.name === boundHost.toLowerCase();
}

/** A request from a page of another origin (a browser always says where it comes from). */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}
const EVENTS_PATH = '/events';

class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyError(413, `request body over ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyError(413, `request body over ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function errorEnvelope(message: string): Envelope {
  return { ok: false, error: { code: 'invalid_request', message } };
}

function sendBare(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0', 'Cache-Control': 'no-store' });
  res.end();
}

function parseUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function pageUrl(host: string, port: number, token: string): string {
  const shown = host === '0.0.0.0' || host === '::' ? DEFAULT_HOST : host;
  const hostPart = shown.includes(':') ? `[${shown}]` : shown;
  return `http://${hostPart}:${port}/?token=${token}`;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = newToken();
  const host = options.host ?? DEFAULT_HOST;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { workbench, staticDir } = options;
  let port = options.port ?? 0;

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, errorEnvelope('API calls are POST requests'));
      return;
    }
    let body: string;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      sendJson(res, error instanceof BodyError ? error.status : 400, errorEnvelope(error instanceof Error ? error.message : 'unreadable body'));
      return;
    }
    let request: unknown;
    try {
      request = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      sendJson(res, 400, errorEnvelope('request body is not valid JSON'));
      return;
    }
    // The dispatcher validates method and request; its envelope is the answer, errors included.
    sendJson(res, 200, await workbench.dispatch(method, request));
  }

  const sameSite = (req: IncomingMessage) => hostAllowed(req.headers.host, host, port) && originAllowed(req.headers.origin, req.headers.host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!sameSite(req)) {
      sendBare(res, 403);
      return;
    }
    const url = parseUrl(req.url);
    if (!url) {
      sendJson(res, 400, errorEnvelope('malformed request target'));
      return;
    }
    if (!requestHasToken(req, url, token, port)) {
      sendBare(res, 401);
      return;
    }
    if (url.pathname.startsWith(API_PREFIX)) {
      // Method names are plain ASCII (`runs.show`); the dispatcher rejects unknown ones.
      await handleApi(req, res, url.pathname.slice(API_PREFIX.length));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendBare(res, 405);
      return;
    }
    // The page came with ?token=: a cookie lets its scripts, styles and workers load too.
    const cookie: Record<string, string> = url.searchParams.has('token') ? { 'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    const sent = await sendStaticFile(staticDir, url.pathname, res, req.method === 'HEAD', cookie);
    if (!sent) sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `no such path: ${url.pathname.slice(0, 200)}` } });
  }

  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } });
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = parseUrl(req.url);
    socket.on('error', () => socket.destroy());
    const refusal = !sameSite(req) ? '403 Forbidden' : !url ? '400 Bad Request' : !requestHasToken(req, url, token, port) ? '401 Unauthorized' : url.pathname !== EVENTS_PATH ? '404 Not Found' : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // Events flow one way; anything a client sends is ignored.
      ws.on('error', () => ws.terminate());
    });
  });

  const unsubscribe = workbench.subscribe((event, payload) => {
    if (sockets.clients.size === 0) return;
    const message = JSON.stringify({ event, payload });
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;

  let closing: Promise<void> | null = null;
  return {
    url: pageUrl(host, port, token),
    token,
    address: { host: bound.address, port },
    close() {
      closing ??= new Promise<void>((closed) => {
        unsubscribe();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => closed());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
