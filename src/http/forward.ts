// The originals' forward path: ordinary requests on undici (forward-undici.ts, the cheaper client), the
// rest on node:http straight to the upstream's keep-alive pool, the client's request streamed through
// unchanged and the answer streamed back (`fitsUndici` says which). It does what http-proxy's web
// passes did for us (X-Forwarded-*, framing of bodiless DELETE/OPTIONS, HTTP/1.0 connection rules)
// without their per-request work (an options object, two pass arrays, EventEmitter hops, a regex
// join of the path). That work was what doubletap's own bookkeeping had to fit into for fraction 0 to
// cost what a bare http-proxy costs (docs/benchmarks.md). Two fixes came with it: the request target
// reaches the upstream byte for byte (http-proxy folded `//`), and an answer the upstream cuts short
// is cut for the client too (it waited forever). WebSocket upgrades still go through http-proxy.
import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Writable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { forwardRequestTrailers, forwardResponseTrailers } from './framing';
import { writeHead } from './forward-head';
import { BUFFERED_BODY_MAX, UndiciForwarding } from './forward-undici';
import type { Upstream } from './upstream';

/** What the hooks read of an answer: node:http's IncomingMessage, or undici's (forward-undici.ts). */
export interface UpstreamAnswer {
  statusCode?: number;
  statusMessage?: string;
  headers: IncomingHttpHeaders;
  /** The whole answer arrived (false at 'close': it was cut short). */
  complete: boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  /** The same events, called on one object without listeners (undici's answers; see AnswerWatcher).
   * False when the answer already has its watcher: then listen to its events. */
  watch?(watcher: AnswerWatcher): boolean;
}

/**
 * Reads an answer as it streams by (Exchange.readAnswer). undici's forwarding calls it directly: no
 * listener, closure or emit per picked original. `end` comes after the client's answer was ended.
 */
export interface AnswerWatcher {
  answerData(chunk: Buffer): void;
  answerEnd(): void;
  /** Always last; after answerEnd when the whole answer arrived (`complete`), alone when it was cut short. */
  answerClose(): void;
}

/** Takes a picked original's body from the forward path that collects it anyway (undici's), instead of a tee. */
export interface BodyWatcher {
  /** The whole body, as sent upstream. */
  bodyIn(body: Buffer): void;
  /** The client left before its body was in. */
  bodyAborted(): void;
}

/** The upstream request, which the proxy destroys when the client goes away. */
export interface UpstreamRequest {
  readonly destroyed: boolean;
  destroy(): void;
}

/** What the proxy around the forward path does at each step (one object, no per-request listeners). */
export interface ForwardHooks {
  /** The upstream request exists (headers not sent yet). */
  onUpstreamRequest(out: UpstreamRequest, req: IncomingMessage, res: ServerResponse): void;
  /** The upstream answered; called before anything is written to the client. */
  onUpstreamResponse(answer: UpstreamAnswer, req: IncomingMessage, res: ServerResponse): void;
  /** The upstream request failed (refused, reset, bad certificate…); nothing was written yet or the answer is cut. */
  onError(err: NodeJS.ErrnoException, req: IncomingMessage, res: ServerResponse): void;
}

export interface Forwarder {
  /** Forward req; `selfHandled`: the hooks write the answer themselves (lost-reply). */
  web(req: IncomingMessage, res: ServerResponse, selfHandled: boolean): void;
}

export function createForwarder(upstream: Upstream, insecure: boolean, hooks: ForwardHooks): Forwarder {
  const request = upstream.secure ? https.request : http.request;
  const hostname = upstream.url.hostname.replace(/^\[|\]$/g, '');
  const port = upstream.url.port || (upstream.secure ? '443' : '80');
  const { basePath } = upstream;
  const rejectUnauthorized = !insecure;
  return {
    web(req, res, selfHandled) {
      const headers = req.headers;
      // A bodiless DELETE or OPTIONS gets an explicit empty body: some servers wait for one otherwise.
      if ((req.method === 'DELETE' || req.method === 'OPTIONS') && headers['content-length'] === undefined) {
        headers['content-length'] = '0';
        delete headers['transfer-encoding'];
      }
      addForwardedFields(req);
      if (fitsUndici(req)) {
        const forwarding = new UndiciForwarding(upstream.originalsPool, basePath + req.url, req, res, selfHandled, hooks);
        hooks.onUpstreamRequest(forwarding, req, res);
        forwarding.start(Number(headers['content-length'] ?? 0));
        return;
      }
      let out: ClientRequest;
      try {
        out = request({ hostname, port, method: req.method, path: basePath + req.url, headers, agent: upstream.originals, rejectUnauthorized });
      } catch (err) {
        // Node refuses a header value or method it cannot send: the client gets the gateway error.
        hooks.onError(err as NodeJS.ErrnoException, req, res);
        req.resume();
        return;
      }
      // Every response header line is forwarded (Node keeps 1,000 by default; 0 = no limit here).
      out.maxHeadersCount = 0;
      hooks.onUpstreamRequest(out, req, res);
      const fail = (err: NodeJS.ErrnoException): void => {
        // The client left first: its reset is not the upstream's failure.
        if (req.socket.destroyed && err.code === 'ECONNRESET') {
          out.destroy();
          return;
        }
        hooks.onError(err, req, res);
      };
      req.on('error', fail);
      out.on('error', fail);
      out.on('response', (answer: IncomingMessage) => {
        hooks.onUpstreamResponse(answer, req, res);
        // Before the body is relayed: this 'end' listener adds the trailers before relay() ends `res`.
        if (answer.headers['transfer-encoding'] !== undefined) forwardResponseTrailers(answer, res);
        if (selfHandled) return;
        if (!res.headersSent && !res.writableEnded) writeHead(req, res, answer);
        if (res.writableEnded) return;
        // The upstream cut its answer short: cut the client's too, or it would wait for the rest forever.
        answer.once('close', () => answer.complete || res.destroy());
        relay(answer, res);
      });
      if (req.headers['transfer-encoding'] !== undefined) forwardRequestTrailers(req, out);
      relay(req, out);
    },
  };
}

/** Methods undici frames with a Content-Length (it drops `content-length: 0` from the others). */
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);

/**
 * An original undici carries exactly as node:http would: an origin-form target, no Transfer-Encoding
 * (request trailers; undici refuses the header), no Expect (undici refuses it), and a body it frames
 * the same way — a Content-Length body of a payload method, small enough to collect, or no body.
 * Everything else (uploads, chunked bodies, a bodiless DELETE's `content-length: 0`) streams on node:http.
 */
function fitsUndici(req: IncomingMessage): boolean {
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined || h.expect !== undefined || req.url?.charCodeAt(0) !== 47) return false;
  const length = h['content-length'];
  if (PAYLOAD_METHODS.has(req.method!)) return length !== undefined && Number(length) <= BUFFERED_BODY_MAX;
  return length === undefined;
}

/**
 * Stream a message body like pipe() (backpressure included), and never hang: a destination that
 * closes while full lets the rest run out. The last chunk of a Content-Length body goes out with
 * end(), which corks the socket (head and body in one write when the head is still unsent; strace
 * counts about two writes per proxied request either way, as for http-proxy's pipe). Chunked bodies
 * end on 'end': their trailers are added by a listener registered earlier (framing.ts).
 */
function relay(src: IncomingMessage, dst: Writable): void {
  // Bytes still to come, when the message says (a chunked body ends on 'end'). Counted, not read from
  // the parser's state: Node emits a small message's body before it marks the message complete.
  let left = src.headers['transfer-encoding'] === undefined ? Number(src.headers['content-length'] ?? NaN) : NaN;
  let waiting = false;
  // A destination that closes while full never drains: let the rest run out rather than hang.
  const go = (): void => void src.resume();
  const onData = (chunk: Buffer): void => {
    if (dst.writableEnded || dst.destroyed) return;
    left -= chunk.length;
    if (left <= 0) dst.end(chunk); // the last chunk: with the head, in one write
    else if (!dst.write(chunk)) {
      src.pause();
      if (waiting) return;
      // Once per message, and only under backpressure: the small-message path adds no listener.
      waiting = true;
      dst.on('drain', go);
      dst.once('close', go);
    }
  };
  src.on('data', onData);
  src.on('end', () => {
    if (!dst.writableEnded && !dst.destroyed) dst.end();
  });
}

/** X-Forwarded-For/-Port/-Proto appended to what the client sent, X-Forwarded-Host kept or set. */
function addForwardedFields(req: IncomingMessage): void {
  const h = req.headers;
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  const port = /:(\d+)$/.exec(h.host ?? '')?.[1] ?? (encrypted ? '443' : '80');
  append(h, 'x-forwarded-for', req.socket.remoteAddress ?? '');
  append(h, 'x-forwarded-port', port);
  append(h, 'x-forwarded-proto', encrypted ? 'https' : 'http');
  h['x-forwarded-host'] ??= h.host ?? '';
}

function append(h: http.IncomingHttpHeaders, name: string, value: string): void {
  const before = h[name];
  h[name] = before ? `${before},${value}` : value;
}
