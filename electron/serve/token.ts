// The serve token: random per server start, required on every request. Compared in constant
// time so that a caller cannot learn it byte by byte from response timings.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie that lets the page's own assets and workers load after the page came with ?token=.
 * Named per port: cookies are shared across ports of one host, servers must not overwrite each other. */
export function tokenCookieName(port: number): string {
  return `moe_workbench_token_${port}`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Where a request may carry the token: `Authorization: Bearer`, `?token=`, or the page cookie. */
export function requestHasToken(req: IncomingMessage, url: URL, token: string, port: number): boolean {
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : null;
  return (
    sameToken(bearer, token) ||
    sameToken(url.searchParams.get('token'), token) ||
    sameToken(cookieValue(req.headers.cookie, tokenCookieName(port)), token)
  );
}
