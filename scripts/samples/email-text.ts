// Just enough MIME to get readable text out of a raw e-mail: headers, multipart, base64,
// quoted-printable and HTML tags. Used to build the spam/ham sample.

export interface Email {
  subject: string;
  body: string;
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  // Continuation lines start with whitespace.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

function decodeTransfer(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1');
  if (/quoted-printable/i.test(encoding)) {
    return body.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return body;
}

function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#?\w+;/g, ' ');
}

/** The readable text of a message part: the first text/plain part, else the first text/html part. */
function partText(raw: string, depth = 0): string {
  const { headers, body } = splitHeaders(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary && depth < 4) {
    const parts = body.split(`--${boundary}`).slice(1).filter((part) => !part.startsWith('--'));
    const plain = parts.find((part) => /content-type:\s*text\/plain/i.test(part) || !/content-type:/i.test(part.split('\n\n')[0]));
    const html = parts.find((part) => /content-type:\s*text\/html/i.test(part));
    const nested = parts.find((part) => /content-type:\s*multipart\//i.test(part));
    const chosen = plain ?? html ?? nested;
    return chosen ? partText(chosen.replace(/^\n/, ''), depth + 1) : '';
  }
  const text = decodeTransfer(body, headers.get('content-transfer-encoding') ?? '');
  return /text\/html/i.test(type) || /<html|<body|<p>|<br>/i.test(text) ? stripHtml(text) : text;
}

/** One space between words; replacement characters and control characters (mis-decoded bytes) dropped. */
export function collapseWhitespace(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\s+/g, ' ').trim();
}

export function readEmail(raw: string): Email {
  const { headers } = splitHeaders(raw);
  return { subject: collapseWhitespace(headers.get('subject') ?? ''), body: collapseWhitespace(partText(raw)) };
}
