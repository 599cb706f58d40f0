// Static files of the built renderer, confined to their folder (no `..`, no symlink tricks
// through the URL), with the same Content-Security-Policy as the desktop window.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Headers every answer of the server carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Resolves a URL path inside `root`, or null when it would leave it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(join(base, normalize(relative)));
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Sends the file, or answers false when there is no such file (the caller answers 404). */
export async function sendStaticFile(root: string, urlPath: string, res: ServerResponse, headOnly: boolean, extraHeaders: Record<string, string> = {}): Promise<boolean> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return false;
  // A symbolic link inside the folder that points out of it is refused like `..`.
  const [realRoot, realFile] = await Promise.all([realpath(root).catch(() => null), realpath(file).catch(() => null)]);
  if (!realRoot || !realFile || !(realFile === realRoot || realFile.startsWith(realRoot + sep))) return false;
  const info = await stat(realFile).catch(() => null);
  if (!info?.isFile()) return false;
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    'Content-Type': type,
    'Content-Length': String(info.size),
    // Hashed assets may be cached; the page itself must always be fresh (it changes with a build).
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  });
  if (headOnly) {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(realFile);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    stream.on('end', () => done());
    stream.pipe(res);
  });
  return true;
}
