// Append-only journal.jsonl writer. Every entry also feeds the in-memory tally the verdict reads.
import { closeSync, createWriteStream, mkdirSync, openSync, writeSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Tally } from './tally';
import type { JournalEntry } from './types';

export class Journal {
  readonly tally = new Tally();
  private readonly stream: WriteStream | undefined;
  /** With `sync`, each line reaches the kernel before write() returns (survives a SIGKILL). */
  private fd: number | undefined;
  private seq = 0;
  /** A failed journal file (disk full, a directory, no permission): lines stop, the process does not. */
  private failure: Error | undefined;

  constructor(file?: string, options: { sync?: boolean } = {}) {
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      if (options.sync) this.fd = openSync(file, 'a');
      else {
        this.stream = createWriteStream(file, { flags: 'a' });
        // Without a listener a write error is an uncaught 'error' event: it would kill the proxy and
        // every client request going through it. close() reports it instead.
        this.stream.on('error', (err) => (this.failure ??= err));
      }
    }
  }

  /** Ids are unique within the process: o-12 for originals, c-12.1 for the first copy of o-12. */
  nextOriginalId(): string {
    return `o-${++this.seq}`;
  }

  /** Called with every entry (stop conditions watch the originals' statuses); must not throw. */
  readonly watchers: Array<(entry: Omit<JournalEntry, 'ts'>) => void> = [];

  write(entry: Omit<JournalEntry, 'ts'> & { ts?: string }): void {
    // The tally needs no timestamp; a line is only built when there is a file to write it to.
    this.tally.add(entry as JournalEntry);
    for (const watch of this.watchers) watch(entry);
    if ((this.fd === undefined && this.stream === undefined) || this.failure !== undefined) return;
    const text = JSON.stringify(entry.ts ? entry : { ts: this.now(), ...entry }) + '\n';
    if (this.fd !== undefined) writeSync(this.fd, text);
    else this.stream!.write(text);
  }

  private lastMs = 0;
  private lastIso = '';

  /** ISO timestamps are costly to format; many lines share a millisecond. */
  private now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  close(): Promise<void> {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return new Promise((resolve, reject) => {
      const done = (): void => (this.failure ? reject(this.failure) : resolve());
      if (this.stream) this.stream.end(done);
      else done();
    });
  }
}
