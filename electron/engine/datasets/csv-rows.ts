// Streams the records of a delimited file (RFC 4180 quoting, multi-line fields) with the line each starts on.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { textChunks } from './text-stream.ts';

export interface CsvRow {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** Thrown for malformed quoting; `line` is where the parser gave up. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

function countLineBreaks(raw: string): number {
  const breaks = raw.match(/\r\n?|\n/g);
  return breaks === null ? 0 : breaks.length;
}

/** Non-blank records of a CSV/TSV file. Throws NotTextError or CsvSyntaxError. */
export async function* csvRows(file: string, delimiter: ',' | '\t'): AsyncGenerator<CsvRow> {
  const parser = parse({
    delimiter,
    raw: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    // TSV files rarely quote and often hold stray quotes in text: read them literally.
    quote: delimiter === '\t' ? false : '"',
    // Bounds memory on a file with an unclosed quote.
    max_record_size: 16 * 1024 * 1024,
  });
  const source = Readable.from(textChunks(file), { objectMode: false });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let nextLine = 1;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = nextLine;
      nextLine += countLineBreaks(raw);
      if (record.length === 1 && record[0].trim() === '') continue;
      yield { fields: record, line };
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Report the line where the broken record starts (an unclosed quote is only noticed at the end).
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new CsvSyntaxError(nextLine, (error as Error).message);
    throw error;
  } finally {
    source.destroy();
  }
}
