// The Content-Security-Policy of the UI, one string for both hosts: the Electron window sets it
// on every response, serve sends it with every static file.
// Monaco needs inline styles and nothing looser; workers come from our own bundle (blob: for Monaco's).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
