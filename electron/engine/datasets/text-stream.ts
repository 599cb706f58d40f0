// Streams a user's text file: refuses binary data and invalid UTF-8 with the line where it shows,
// and never holds more than one chunk of the file.
import { createReadStream } from 'node:fs';

/** Thrown while streaming when the file cannot be read as lines of UTF-8 text; `line` is null for binary data. */
export class NotTextError extends Error {
  readonly line: number | null;
  constructor(line: number | null, message: string) {
    super(message);
    this.line = line;
  }
}

function countNewlines(text: string, end = text.length): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Decoded text of a file, chunk by chunk (BOM dropped). Throws NotTextError. */
export async function* textChunks(file: string): AsyncGenerator<string> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  // A lenient twin, fed the same bytes, locates the bad byte when the strict one refuses a chunk.
  const lenient = new TextDecoder('utf-8');
  let linesBefore = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    if (chunk.indexOf(0) !== -1) throw new NotTextError(null, 'not a text file (it contains NUL bytes: binary data, or UTF-16 text; save it as UTF-8)');
    const loose = lenient.decode(chunk, { stream: true });
    let text: string;
    try {
      text = strict.decode(chunk, { stream: true });
    } catch {
      const bad = loose.indexOf('\uFFFD');
      throw new NotTextError(linesBefore + countNewlines(loose, bad === -1 ? loose.length : bad) + 1, 'not valid UTF-8 text');
    }
    linesBefore += countNewlines(text);
    if (text.length > 0) yield text;
  }
  try {
    const tail = strict.decode();
    if (tail.length > 0) yield tail;
  } catch {
    throw new NotTextError(linesBefore + 1, 'not valid UTF-8 text (the file ends inside a character)');
  }
}

/** A line this long is not a data line; refusing it keeps memory bounded on a file without line breaks. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface TextLine {
  text: string;
  /** 1-based. */
  line: number;
}

/** Lines of a text file (without their line break); a final empty line after the last break is not yielded. */
export async function* textLines(file: string): AsyncGenerator<TextLine> {
  let pending = '';
  let line = 0;
  for await (const chunk of textChunks(file)) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const raw = pending.slice(start, end);
      yield { text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line: ++line };
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new NotTextError(line + 1, `line longer than ${MAX_LINE_CHARS} characters`);
  }
  if (pending.length > 0) yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, line: ++line };
}
