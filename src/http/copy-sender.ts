// Sends one copy on the copies' own undici Pool (keep-alive) with its own overall timeout, and reads
// the resource identity from its answer (bodies are never kept). Never touches the original's
// connection or response. undici's low-level dispatch() with one handler object per copy: no streams,
// no promises, no AbortSignal — the cheapest client path we measured (bench/copy-sender.ts).
import type { Dispatcher } from 'undici';
import { AnswerReader } from './answer-reader';
import type { AttemptResult } from './classify';
import type { Upstream } from './upstream';

export interface CopySpec {
  method: string;
  /** Request target as the client sent it (path + query). */
  url: string;
  /** This copy's own headers (the fault's clone): framing is fixed up in place. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** JSON pointer to the resource identity in a success answer (undefined: automatic). */
  identityPointer?: string;
  /** The copy's identity header value: an answer id that only repeats it (or the body) is no identity. */
  key?: string;
}

export type CopyResult = AttemptResult & { durationMs: number };

/**
 * Headers a client may send that undici refuses (it throws on them) or that describe the client's own
 * connection or framing, not this copy's: `Expect: 100-continue` would make the upstream wait for a
 * go-ahead we never ask for (undici does not support it), and the body is re-framed with Content-Length.
 */
const REFRAMED = ['transfer-encoding', 'trailer', 'connection', 'keep-alive', 'upgrade', 'expect'] as const;

/**
 * One copy on its way. The scheduler asks `onWire` (halt may still cancel a copy that is not) and
 * calls cancel() / abort(). `done` is called exactly once, unless the copy was cancelled first.
 */
export class CopyAttempt implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  /** undici's handle on the request, given when it is about to be written to a connected socket. */
  private abortRequest: ((err?: Error) => void) | undefined;
  private reader: AnswerReader | undefined;
  private status: number | undefined;
  private replayed: string | undefined;
  private settled = false;

  constructor(
    private readonly identityPointer: string | undefined,
    /** What was sent, for the echo check when the answer is read. */
    private readonly request: { body: Buffer; key?: string },
    private readonly timeoutMs: number,
    private readonly done: (result: CopyResult) => void,
  ) {
    this.timer = setTimeout(this.onTimeout, timeoutMs);
  }

  /** Written, or being written, to a connected socket: the upstream may have it. */
  get onWire(): boolean {
    return this.abortRequest !== undefined;
  }

  /** Halt, before it is on the wire: it never will be (done is not called). False when too late. */
  cancel(): boolean {
    if (this.abortRequest !== undefined) return false;
    this.settle();
    return true;
  }

  /** Shutdown: cut it off whatever its state (a copy on the wire loses its connection). */
  abort(): void {
    this.settle();
    this.abortRequest?.(new Error('copy aborted'));
  }

  private settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
  }

  private finish(result: AttemptResult): void {
    if (this.settled) return;
    this.settle();
    // The answer object is ours and fresh: completed in place. A spread copy plus a field
    // (`{ ...result, durationMs }`) gets a hidden class of its own in Node 20's V8, one per copy, and
    // every inline cache it then meets misses (docs/benchmarks.md, "One hidden class per copy").
    const done = result as CopyResult;
    done.durationMs = performance.now() - this.started;
    this.done(done);
  }

  private readonly onTimeout = (): void => {
    this.finish({ error: `timeout after ${this.timeoutMs}ms` });
    this.abortRequest?.(new Error('copy timed out'));
  };

  // undici's handler interface (the form its HTTP/1.1 client calls directly, without a wrapper).
  onConnect(abort: (err?: Error) => void): void {
    // Cancelled or timed out while waiting for a connection: never written (undici checks right after).
    if (this.settled) return abort(new Error('copy cancelled'));
    this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    this.reader = new AnswerReader(this.identityPointer);
    this.replayed = replayedHeader(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.reader?.update(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(this.reader ? this.reader.finish(this.status, this.replayed, this.request) : { status: this.status });
  }

  onError(err: Error & { code?: string }): void {
    // Cut short after the answer began: the status is known, the body is not comparable.
    if (this.reader !== undefined) return this.finish({ status: this.status, error: 'response aborted' });
    this.finish({ error: connectionErrorCode(err) });
  }
}

/** Node's names for connection errors, which the journal has always used (`socket hang up` is ECONNRESET). */
export function connectionErrorCode(err: Error & { code?: string }): string {
  if (err.code === 'UND_ERR_SOCKET' || err.code === 'UND_ERR_CLOSED' || err.code === 'UND_ERR_DESTROYED') return 'ECONNRESET';
  return err.code ?? err.message;
}

/** The `Idempotent-Replayed` value as node:http shows it (repeated lines joined), else undefined. */
function replayedHeader(raw: Buffer[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    if (name.length !== 19 || name.toString('latin1').toLowerCase() !== 'idempotent-replayed') continue;
    const v = raw[i + 1].toString('latin1');
    value = value === undefined ? v : `${value}, ${v}`;
  }
  return value;
}

export function sendCopy(upstream: Upstream, spec: CopySpec, timeoutMs: number, done: (result: CopyResult) => void): CopyAttempt {
  const headers = spec.headers;
  // The body may have changed (key-reuse): frame it ourselves. Set to undefined rather than deleted
  // (undici skips undefined values; a delete would turn the object into a slow dictionary).
  for (const name of REFRAMED) if (headers[name] !== undefined) headers[name] = undefined;
  headers['content-length'] = String(spec.body.length);
  const attempt = new CopyAttempt(spec.identityPointer, spec, timeoutMs, done);
  // dispatch() reports every failure (invalid header included) through onError, never by throwing.
  upstream.copies.dispatch({ method: spec.method, path: upstream.basePath + spec.url, headers, body: spec.body }, attempt);
  return attempt;
}
