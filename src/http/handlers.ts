// The per-request path. Unmatched requests: one rule scan, one counter, straight into the forward path — no
// buffering, no journal, no per-request closures. Matched requests get an Exchange; the chaos path is
// wrapped so an exception there never touches the original (fail open).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type Server from 'http-proxy';
import type { ForwardHooks, Forwarder, UpstreamAnswer, UpstreamRequest } from './forward';
import { messageOf } from '../errors';
import { lostReplyBody } from '../faults/lost-reply';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Decider } from './decision';
import type { Exchange } from './exchange';
import { matchRule, methodLabel, type CompiledRule } from './match';
import { stripHopByHop, stripResponseHopByHop } from './upstream';

const kEx = Symbol('doubletap.exchange');
const kStart = Symbol('doubletap.start');
const kProxyReq = Symbol('doubletap.proxyReq');
type Req = IncomingMessage & { [kEx]?: Exchange; [kStart]?: number };
type Res = ServerResponse & { [kProxyReq]?: UpstreamRequest };

export interface HandlerDeps {
  /** WebSocket upgrades only (originals go through `forward`). */
  proxy: Server;
  /** The originals' forward path; its hooks are this class's methods (see ForwardHooks). */
  forward: Forwarder;
  rules: readonly CompiledRule[];
  decider: Decider;
  journal: Journal;
  metrics: Metrics;
  logger: Logger;
  upstreamOrigin: string;
  /** Never stripped because Connection names it (see stripHopByHop). */
  identityHeader: string;
  ws: Server.ServerOptions;
  /** Halt releases replies held for lost-reply: after a halt every client gets its real answer. */
  halt: { readonly halted: boolean };
}

/** A held lost-reply answer is kept to be released on halt; past this it is only withheld. */
const HELD_REPLY_BYTES = 1024 * 1024;

export class ProxyHandlers implements ForwardHooks {
  inFlight = 0;
  private readonly requestCounters = new Map<string, { inc(): void }>();
  private readonly originalDuration;
  /** A plain function (EventEmitter passes the response as `this`); one per proxy, not per request. */
  private readonly onResClose: (this: Res) => void;

  constructor(private readonly d: HandlerDeps) {
    const self = this;
    this.onResClose = function (this: Res) {
      self.afterClose(this);
    };
    this.originalDuration = d.metrics.upstreamDuration.labels({ kind: 'original' });
    // WebSocket upgrade failures (the socket is destroyed there).
    d.proxy.on('error', this.onError);
  }

  readonly onRequest = (req: Req, res: Res): void => {
    this.inFlight++;
    res.once('close', this.onResClose);
    req[kStart] = performance.now();
    // Every request has the same hidden class in the forward path, picked or not: its properties are
    // added in the same order. So the exchange slot exists on every request, and a picked request's
    // body tee listens only after the forward path's own listeners (the first listener adds
    // `_eventsCount` to a request). Otherwise every forward-path access to a request, Node's included,
    // turns polymorphic for all requests as soon as copies run (bench/ic-diff.ts found it).
    req[kEx] = undefined;
    const rule = matchRule(this.d.rules, req.method ?? '', req.url ?? '/', req.headers);
    this.count(rule?.name ?? 'none', req.method);
    let ex: Exchange | undefined;
    if (rule !== undefined) {
      try {
        ex = req[kEx] = this.d.decider.begin(req, rule);
      } catch (err) {
        this.bug(err);
      }
    }
    const connection = stripHopByHop(req.headers, this.d.identityHeader);
    this.d.forward.web(req, res, ex?.picked?.driver.clock === 'none');
    // The upstream request took the headers synchronously (with X-Forwarded-*): that is what copies reuse.
    if (ex?.picked) {
      try {
        this.d.decider.keepForCopies(ex, req, res[kProxyReq]);
      } catch (err) {
        ex.noBody(); // its copies are dropped, never left waiting for a body
        this.bug(err);
      }
    }
    if (connection !== undefined) req.headers.connection = connection;
  };

  /** Upgraded connections leave the server's bookkeeping: tracked so close() can end them. */
  readonly upgraded = new Set<Socket>();

  readonly onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    socket.on('error', noop);
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    this.d.proxy.ws(req, socket, head, this.d.ws);
  };

  private count(rule: string, method: string | undefined): void {
    const label = methodLabel(method);
    const k = rule + ' ' + label;
    let c = this.requestCounters.get(k);
    if (!c) this.requestCounters.set(k, (c = this.d.metrics.httpRequests.labels({ rule, method: label })));
    c.inc();
  }

  readonly onUpstreamRequest = (proxyReq: UpstreamRequest, _req: IncomingMessage, res: Res): void => {
    res[kProxyReq] = proxyReq;
  };

  readonly onUpstreamResponse = (proxyRes: UpstreamAnswer, req: Req, res: Res): void => {
    const start = req[kStart];
    if (start !== undefined) this.originalDuration.observe((performance.now() - start) / 1000);
    stripResponseHopByHop(proxyRes.headers);
    const ex = req[kEx];
    if (ex === undefined) return;
    try {
      if (ex.picked === undefined) return this.journalOriginal(ex, { status: proxyRes.statusCode });
      if (ex.picked.driver.clock !== 'none') {
        ex.readAnswer(proxyRes);
        ex.whenResponded((original) => this.journalOriginal(ex, original));
        return;
      }
      if (this.d.halt.halted) return this.release(ex, proxyRes, res, undefined);
      let size = 0;
      let kept: Buffer[] | undefined = [];
      ex.readAnswer(proxyRes, (chunk) => {
        if (kept === undefined) return;
        size += chunk.length;
        if (size > HELD_REPLY_BYTES) kept = undefined;
        else kept.push(chunk);
      });
      ex.responded
        .then(() => (this.d.halt.halted && kept ? this.release(ex, proxyRes, res, Buffer.concat(kept)) : this.withholdReply(ex, res)))
        .catch(this.bug);
    } catch (err) {
      this.bug(err);
    }
  };

  /** lost-reply after a halt: the client gets the upstream's real answer (streamed, or the held body). */
  private release(ex: Exchange, proxyRes: UpstreamAnswer, res: ServerResponse, body: Buffer | undefined): void {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(proxyRes.statusCode ?? 502, proxyRes.headers);
    if (body !== undefined) {
      this.journalOriginal(ex, Object.assign({}, ex.original, { status: proxyRes.statusCode }));
      res.end(body);
      return;
    }
    ex.readAnswer(proxyRes, (chunk) => res.write(chunk));
    ex.responded.then(() => (res.end(), this.journalOriginal(ex, ex.original))).catch(this.bug);
  }

  /** lost-reply: the upstream answered (and committed); the client gets a gateway error or a reset. */
  private withholdReply(ex: Exchange, res: ServerResponse): void {
    const fault = ex.picked!.fault as { status: number; reset: boolean };
    this.journalOriginal(ex, Object.assign({}, ex.original, { clientStatus: fault.reset ? 0 : fault.status }));
    if (res.destroyed || res.headersSent) return;
    if (fault.reset) {
      res.socket?.resetAndDestroy();
      return;
    }
    const body = lostReplyBody(fault.status);
    res.writeHead(fault.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  readonly onError = (err: NodeJS.ErrnoException, req: Req, res: Res | Socket): void => {
    const code = err.code ?? 'ERROR';
    this.d.logger.warn('upstream error', { upstream: this.d.upstreamOrigin, code, method: req.method });
    const ex = req[kEx];
    if (ex !== undefined && ex.original === undefined) {
      // Journaled first: respond() runs whatever waits for the answer, a journal line of its own included.
      this.journalOriginal(ex, { error: code, clientStatus: 502 });
      ex.respond(undefined);
    }
    if (!('writeHead' in res)) return void res.destroy();
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ error: 'upstream unreachable', upstream: this.d.upstreamOrigin, code });
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  /** The client's response closed. If it never finished, the client went away: stop the upstream
   * request too (no leaked socket), and let pending copies of it know. */
  private afterClose(res: Res): void {
    this.inFlight--;
    if (res.writableFinished) return;
    const ex = (res.req as Req)[kEx];
    // Journaled first, with why: cutting the upstream request off below reports its answer cut short,
    // and respond() runs whatever waits for the answer (a journal line of its own included), at once.
    if (ex !== undefined && !ex.journaled) this.journalOriginal(ex, { error: 'client closed the connection' });
    const proxyReq = res[kProxyReq];
    if (proxyReq !== undefined && !proxyReq.destroyed) proxyReq.destroy();
    if (ex !== undefined && ex.original === undefined) ex.respond(undefined);
  }

  journalOriginal(
    ex: Exchange,
    r: { status?: number; bodySha256?: string; error?: string; clientStatus?: number } | undefined,
  ): void {
    if (ex.journaled) return;
    ex.journaled = true;
    this.d.decider.journaled(ex);
    try {
      this.d.journal.write({
        kind: 'original', id: ex.id, rule: ex.rule.name, fault: ex.faultKind, method: ex.method, path: ex.path,
        key: ex.key, bodySha256: ex.bodySha256, status: r?.status, durationMs: ex.durationMs(),
        reason: ex.reason, clientStatus: r?.clientStatus, error: r?.error, dryRun: ex.dryRun || undefined,
      });
    } catch (err) {
      this.bug(err);
    }
  }

  private readonly bug = (err: unknown): void => {
    this.d.logger.error('chaos path error (original unaffected)', { error: messageOf(err) });
  };
}

function noop(): void {}
