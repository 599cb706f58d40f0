// Writes records.jsonl as records arrive (backpressure respected) and hashes exactly the bytes written.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';

/** Writes to `<finalPath>.partial` until commit(), so an aborted run never leaves a records file. */
export class RecordWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private readonly partialPath: string;
  private failure: Error | null = null;

  private readonly finalPath: string;

  constructor(finalPath: string) {
    this.finalPath = finalPath;
    this.partialPath = `${finalPath}.partial`;
    this.stream = createWriteStream(this.partialPath);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(line: string): Promise<void> {
    if (this.failure) throw this.failure;
    const text = `${line}\n`;
    this.hash.update(text);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  private async close(): Promise<void> {
    if (this.stream.closed) return;
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }

  /** Closes, renames into place and returns the sha256 hex of the file. */
  async commit(): Promise<string> {
    await this.close();
    await rename(this.partialPath, this.finalPath);
    return this.hash.digest('hex');
  }

  /** Closes and deletes the partial file. */
  async discard(): Promise<void> {
    try {
      await this.close();
    } finally {
      await rm(this.partialPath, { force: true });
    }
  }
}
