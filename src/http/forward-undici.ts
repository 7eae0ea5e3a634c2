// The originals' forward path for ordinary requests (forward.ts `fitsUndici` says which): undici's
// low-level dispatch() on the originals' own keep-alive Pool, one object per request that is at once
// undici's handler, the upstream request the proxy may destroy, and the answer the hooks read (status,
// headers, data/end/close). A request costs ×0.67–0.87 the proxy's CPU it cost on node:http's
// ClientRequest, which builds an OutgoingMessage, validates and stores every header, and emits a dozen
// events per request (docs/benchmarks.md, "The forward path on undici").
// The body (at most BUFFERED_BODY_MAX bytes, by Content-Length) is collected before it is sent, as
// nginx buffers request bodies: undici's stream reader would attach only once a connection is free.
// A picked original's exchange is handed that body (watchBody) and reads the answer through one
// watcher object (watch), called directly: no tee, listeners or emits of its own (ninth look).
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { connectionErrorCode } from './copy-sender';
import type { AnswerWatcher, BodyWatcher, ForwardHooks } from './forward';
import { writeHead } from './forward-head';
import { trailerPairs } from './framing';
import { RESPONSE_HOP_BY_HOP } from './upstream';

/**
 * Bodies up to this size are collected and sent in one write; larger ones stream on node:http. About
 * what Node holds per connection of a paused request anyway (socket and stream buffers), so many
 * slow clients cost no more memory than before; API writes are mostly far smaller.
 */
export const BUFFERED_BODY_MAX = 16 * 1024;

const EMPTY = Buffer.alloc(0);

/** Response fields of which Node keeps the first line only (node:http's IncomingMessage, matchKnownFields). */
const FIRST_ONLY = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization', 'if-modified-since',
  'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires',
]);

/**
 * The answer's header lines as node:http shows them (names lower-cased, repeats joined or listed),
 * without the hop-by-hop ones: left out here rather than deleted later, which would turn every
 * answer's headers into a slow dictionary-mode object.
 */
export function headersOf(raw: Buffer[]): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    if (RESPONSE_HOP_BY_HOP.includes(name)) continue;
    const value = raw[i + 1].toString('latin1');
    const before = headers[name];
    if (before === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(before)) before.push(value);
    else if (!FIRST_ONLY.has(name)) headers[name] = `${before}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

/** One original on undici: its handler, its upstream request (destroy) and its answer (the hooks' view). */
export class UndiciForwarding extends EventEmitter implements Dispatcher.DispatchHandler {
  statusCode: number | undefined = undefined;
  statusMessage = '';
  headers: IncomingHttpHeaders = {};
  complete = false;
  /** The client left: never sent, or cut off. */
  destroyed = false;
  private abortUpstream: ((err?: Error) => void) | undefined = undefined;
  private resume: (() => void) | undefined = undefined;
  /** Answer bytes still to come (NaN: chunked, ends on complete). */
  private left = NaN;
  private waiting = false;
  private relaying = false;
  private chunks: Buffer[] | undefined = undefined;
  private received = 0;
  /** A picked original's readers (its exchange): called directly, not through listeners. */
  private answerWatcher: AnswerWatcher | undefined = undefined;
  private bodyWatcher: BodyWatcher | undefined = undefined;
  /** The body as sent (null: none); undefined until then. */
  private sentBody: Buffer | null | undefined = undefined;

  constructor(
    private readonly pool: Dispatcher,
    private readonly path: string,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly selfHandled: boolean,
    private readonly hooks: ForwardHooks,
  ) {
    super();
  }

  /**
   * Send now (no body) or once the body is in. The headers are taken now, as node:http takes them:
   * the handlers put the client's Connection value back into req.headers when web() returns.
   */
  start(length: number): void {
    const fields: Array<string | string[]> = [];
    const h = this.req.headers;
    for (const name in h) {
      const value = h[name];
      if (value !== undefined) fields.push(name, value);
    }
    if (length === 0) return this.send(fields, null);
    this.chunks = [];
    this.req.on('data', (chunk: Buffer) => {
      const chunks = this.chunks;
      if (chunks === undefined) return; // the client left (destroy), or the body is already sent
      chunks.push(chunk);
      this.received += chunk.length;
      if (this.received < length) return;
      this.chunks = undefined;
      this.send(fields, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
  }

  /** Hand the body to `watcher` once it is collected (at once if it already went out). */
  watchBody(watcher: BodyWatcher): void {
    this.bodyWatcher = watcher;
    if (this.sentBody !== undefined) watcher.bodyIn(this.sentBody ?? EMPTY);
    else if (this.destroyed) watcher.bodyAborted();
  }

  /** Read the answer as it streams by (see AnswerWatcher): one watcher (a picked original's exchange). */
  watch(watcher: AnswerWatcher): boolean {
    if (this.answerWatcher !== undefined) return false;
    this.answerWatcher = watcher;
    return true;
  }

  private send(fields: Array<string | string[]>, body: Buffer | null): void {
    if (this.destroyed) return;
    this.sentBody = body;
    // Before dispatch, which reports a failure through onError (the copies then see a failed original).
    this.bodyWatcher?.bodyIn(body ?? EMPTY);
    // dispatch() reports every failure (an invalid header included) through onError, never by throwing.
    this.pool.dispatch({ method: this.req.method!, path: this.path, headers: fields as string[], body }, this);
  }

  /** The client went away (handlers.afterClose): a request not sent never will be; one sent is cut off. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.chunks = undefined;
    if (this.sentBody === undefined) this.bodyWatcher?.bodyAborted();
    this.abortUpstream?.(new Error('client closed the connection'));
  }

  // undici's handler interface (the form its HTTP/1.1 client calls directly, without a wrapper).
  onConnect(abort: (err?: Error) => void): void {
    if (this.destroyed) return abort(new Error('client closed the connection'));
    this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    this.statusCode = statusCode;
    this.statusMessage = statusText;
    this.headers = headersOf(rawHeaders);
    this.resume = resume;
    const { req, res } = this;
    this.hooks.onUpstreamResponse(this, req, res);
    if (this.selfHandled) return true;
    if (!res.headersSent && !res.writableEnded) writeHead(req, res, this);
    if (res.writableEnded) return true;
    this.relaying = true;
    const headers = this.headers;
    this.left = headers['transfer-encoding'] === undefined ? Number(headers['content-length'] ?? NaN) : NaN;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.answerWatcher?.answerData(chunk);
    this.emit('data', chunk);
    const res = this.res;
    if (!this.relaying || res.writableEnded || res.destroyed) return true;
    this.left -= chunk.length;
    // The last chunk of a Content-Length answer goes out with end(): head and body in one write.
    if (this.left <= 0) {
      res.end(chunk);
      return true;
    }
    if (res.write(chunk)) return true;
    if (!this.waiting) {
      // Once per answer, and only under backpressure. A client that closes while full lets the rest run out.
      this.waiting = true;
      const go = (): void => this.resume?.();
      res.on('drain', go);
      res.once('close', go);
    }
    return false;
  }

  onComplete(trailers: string[] | null): void {
    this.complete = true;
    const res = this.res;
    // headersSent: the answer is being streamed (never the withheld lost-reply answer).
    if (this.relaying && trailers && trailers.length > 0 && res.headersSent && !res.writableEnded) res.addTrailers(trailerPairs(trailers));
    // The client's answer ends first: what the watchers do next (journal, copies' plans) is not its latency.
    if (this.relaying && !res.writableEnded && !res.destroyed) res.end();
    this.answerWatcher?.answerEnd();
    this.emit('end');
    this.answerWatcher?.answerClose();
    this.emit('close');
  }

  onError(err: Error & { code?: string }): void {
    if (this.statusCode !== undefined) {
      // The upstream cut its answer short: cut the client's too, or it would wait for the rest forever.
      this.answerWatcher?.answerClose();
      this.emit('close');
      if (this.relaying) return void this.res.destroy();
      // Withheld (lost-reply: the hooks answer), or already answered.
      if (this.selfHandled || this.res.headersSent || this.res.writableEnded) return;
      // The head could not be written (an answer header Node refuses to send): the client gets the gateway error.
    }
    // The client left first: its going is not the upstream's failure.
    if (this.destroyed || this.req.socket.destroyed) return;
    const failure = err as NodeJS.ErrnoException;
    failure.code = connectionErrorCode(err);
    this.hooks.onError(failure, this.req, this.res);
  }
}
