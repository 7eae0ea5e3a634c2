// Append-only journal.jsonl writer. Every entry also feeds the in-memory tally the verdict reads.
import { closeSync, createWriteStream, openSync, writeSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, messageOf } from '../errors';
import { ensureDir } from '../run/run-dir';
import { Tally } from './tally';
import type { JournalEntry } from './types';

export interface JournalOptions {
  /** Each line reaches the kernel before write() returns (survives a SIGKILL). */
  sync?: boolean;
  /** Where the file is named in errors (`--journal`, `journal`). */
  label?: string;
  /** Called once when the file fails mid-run (disk full, file removed…): log it loudly. */
  onError?: (err: Error) => void;
  /** Called for every line that could not be written after a failure (a counter). */
  onLost?: () => void;
}

const FLUSH_MS = 10;
const FLUSH_BYTES = 256 * 1024;

export class Journal {
  readonly tally = new Tally();
  private readonly stream: WriteStream | undefined;
  private fd: number | undefined;
  private seq = 0;
  /** The first write failure, if any: lines stop, the process does not, and the run cannot pass. */
  private failed: Error | undefined;
  /** Lines that never reached the file. */
  lost = 0;
  /** Batches handed to the stream whose bytes the file may not have yet, oldest first. */
  private unwritten: Array<{ end: number; lines: number }> = [];
  private handedBytes = 0;

  /**
   * The file is opened here, synchronously: a journal that cannot be written at start (a directory, no
   * permission, a missing parent) is bad input — exit 2 before anything starts, never a run without one.
   */
  constructor(file?: string, private readonly options: JournalOptions = {}) {
    if (!file) return;
    ensureDir(dirname(file), options.label ?? 'journal');
    let fd: number;
    try {
      fd = openSync(file, 'a');
    } catch (err) {
      throw new ConfigError([`${options.label ?? 'journal'}: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`]);
    }
    if (options.sync) this.fd = fd;
    else {
      this.stream = createWriteStream('', { fd, flags: 'a' });
      // Without a listener a write error is an uncaught 'error' event: it would kill the proxy and
      // every client request going through it.
      this.stream.on('error', (err) => this.streamFailed(err));
    }
  }

  /** The first write failure, or undefined while the journal is whole. */
  get failure(): Error | undefined {
    return this.failed;
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
    if (this.fd === undefined && this.stream === undefined) return;
    if (this.failed !== undefined) return this.loseLine();
    // `ts` first without copying the entry (a spread of ~15 fields per line, on every request).
    const text = entry.ts ? JSON.stringify(entry) + '\n' : `{"ts":"${this.now()}",${JSON.stringify(entry).slice(1)}\n`;
    if (this.stream) return this.append(text);
    try {
      writeSync(this.fd!, text);
    } catch (err) {
      this.fail(err as Error);
      this.loseLine();
    }
  }

  /** Lines of the last few milliseconds, written together: one file write per FLUSH_MS (or
   * FLUSH_BYTES) instead of one per event-loop turn. At 8,000 requests/s the per-line writes were
   * 2–4 µs of every request's CPU. A crash loses at most FLUSH_MS of lines, as an unflushed stream
   * would; `sync` journals (SIGKILL-safe) never batch. */
  private batch = '';
  private readonly flushBatch = (): void => {
    const text = this.batch;
    this.batch = '';
    if (text === '' || !this.stream) return;
    if (this.failed !== undefined || this.stream.destroyed) return this.loseLines(lineCount(text));
    // Remembered until the file has its bytes: a failed write loses its batch too, not only the
    // lines after it. (No per-write callback: one changed the run's timing in the e2e tests.)
    const written = this.stream.bytesWritten;
    while (this.unwritten.length > 0 && this.unwritten[0].end <= written) this.unwritten.shift();
    this.handedBytes += Buffer.byteLength(text);
    this.unwritten.push({ end: this.handedBytes, lines: lineCount(text) });
    this.stream.write(text);
  };

  private streamFailed(err: Error): void {
    this.fail(err);
    const written = this.stream?.bytesWritten ?? 0;
    for (const b of this.unwritten) if (b.end > written) this.loseLines(b.lines);
    this.unwritten = [];
  }

  private loseLines(n: number): void {
    for (let i = 0; i < n; i++) this.loseLine();
  }

  private append(text: string): void {
    if (this.batch === '') setTimeout(this.flushBatch, FLUSH_MS);
    this.batch += text;
    if (this.batch.length >= FLUSH_BYTES) this.flushBatch();
  }

  private fail(err: Error): void {
    if (this.failed !== undefined) return;
    this.failed = err;
    try {
      this.options.onError?.(err);
    } catch {
      // A reporting problem must not turn a journal failure into a crash of the traffic path.
    }
  }

  private loseLine(): void {
    this.lost += 1;
    this.options.onLost?.();
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

  /** Flushes and closes; never rejects (a failure is in `failure`, for the verdict and the exit code). */
  close(): Promise<void> {
    this.flushBatch();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return new Promise((resolve) => {
      if (this.stream && !this.stream.destroyed) this.stream.end(() => resolve());
      else resolve();
    });
  }
}

function lineCount(batch: string): number {
  return batch.split('\n').length - 1;
}
