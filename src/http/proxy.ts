// The HTTP duplicate-injection proxy: originals go through our forward path unchanged (streamed,
// keep-alive to the upstream; see forward.ts), WebSocket upgrades through http-proxy; picked requests
// are copied by the scheduler on a separate pool.
import http from 'node:http';
import net from 'node:net';
import httpProxy from 'http-proxy';
import type { ChaosContext } from '../chaos/context';
import { PendingBytes } from '../chaos/pending-bytes';
import { ConfigError, messageOf } from '../errors';
import type { Logger } from '../log';
import { parseHostPort } from '../scenario/durations';
import type { HttpSection } from '../scenario/schema-http';
import { CopyScheduler } from './copies';
import { Decider } from './decision';
import { ProxyHandlers } from './handlers';
import { compileRules, type CompiledRule } from './match';
import type { Arming, Scope } from '../chaos/arming';
import { isWebSocketHandshake, keepRepeatedHeaders, serveAsOrdinary } from './framing';
import { createForwarder } from './forward';
import { createUpstream, type Upstream } from './upstream';

export interface ProxyOptions extends ChaosContext {
  http: HttpSection;
  /** Standing mode and test-tenant scope: see Arming and DecisionDeps (the one place they are consulted). */
  armed?: { rules?: CompiledRule[]; arming?: Arming; scope?: Scope };
  /** Start with the counting window closed (runs open it after the "before" snapshot). */
  windowClosed?: boolean;
}

export interface RunningProxy {
  /** http://HOST:PORT actually bound (listen port 0 → real port). */
  url: string;
  /** Copies scheduled or in flight (not yet journaled). */
  pending(): number;
  /** Wait until no copies are pending; false on timeout. */
  settle(timeoutMs: number): Promise<boolean>;
  /** Plan no new copies (settle); originals keep flowing and planned copies finish. */
  stopInjecting(): void;
  /** Start counting and picking (after the "before" snapshot). */
  openWindow(): void;
  /** Originals started in the window and not yet answered. */
  liveOriginals(): number;
  /** Stop counting; resolves when every original and copy started in the window is done (false: timeout). */
  closeWindow(timeoutMs: number): Promise<boolean>;
  /** Stop accepting, drain in-flight requests up to the deadline, cancel what is left, close pools. */
  close(deadlineMs?: number): Promise<void>;
}

/** http-proxy parses a string target on every request: hand it a parsed one, once. */
function targetOf(up: Upstream): httpProxy.ProxyTargetUrl {
  const hostname = up.url.hostname.replace(/^\[|\]$/g, '');
  return { protocol: up.url.protocol, host: hostname, hostname, port: up.url.port || (up.secure ? '443' : '80'), path: up.basePath };
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const upstream = createUpstream(o.http);
  const listen = parseHostPort(o.http.listen) ?? { host: '127.0.0.1', port: 0 };
  const pendingBytes = new PendingBytes(o.http.maxPendingBytes);
  const scheduler = new CopyScheduler({
    upstream, pendingBytes, halt: o.halt, budget: o.budget, metrics: o.metrics, journal: o.journal, logger: o.logger,
    copyTimeoutMs: o.http.copyTimeout, identityHeader: o.http.identity.header, markHeader: o.http.markCopies?.toLowerCase(),
  });
  const decider = new Decider({
    seed: o.seed, dryRun: o.dryRun, identityHeader: o.http.identity.header, maxBodyBytes: o.http.maxBodyBytes,
    budget: o.budget, halt: o.halt, journal: o.journal, metrics: o.metrics, logger: o.logger, scheduler, pendingBytes, ...o.armed, windowClosed: o.windowClosed,
  });
  // http-proxy carries WebSocket upgrades only; originals take our own forward path (forward.ts).
  const proxy = httpProxy.createProxyServer({});
  // Graceful shutdown: while draining, every answer says `Connection: close`, so no client sends its
  // next request on a socket we are about to close (it would be reset, never forwarded).
  let draining = false;
  const forwarder = createForwarder(upstream, o.http.insecure === true, {
    onUpstreamRequest: (out, req, res) => handlers.onUpstreamRequest(out, req, res),
    onUpstreamResponse(answer, req, res) {
      // The handlers strip the upstream's Connection header first; draining then sets its own.
      handlers.onUpstreamResponse(answer, req, res);
      if (draining) {
        answer.headers.connection = 'close';
        res.shouldKeepAlive = false;
      }
    },
    onError(err, req, res) {
      // Before the handlers write their 502: it must already know it is the last answer.
      if (draining) res.shouldKeepAlive = false;
      handlers.onError(err, req, res);
    },
  });
  const handlers = new ProxyHandlers({
    proxy, forward: forwarder, rules: o.armed?.rules ?? compileRules(o.http.rules), decider, journal: o.journal, metrics: o.metrics, logger: o.logger,
    upstreamOrigin: upstream.origin, identityHeader: o.http.identity.header, ws: { target: targetOf(upstream), agent: upstream.upgrades, ws: true, xfwd: true, secure: !o.http.insecure }, halt: o.halt,
  });
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (draining) res.shouldKeepAlive = false;
    try {
      keepRepeatedHeaders(req);
    } catch (err) {
      // An exception in a request listener would take the whole proxy down: log it, forward anyway.
      o.logger.error('framing error (request forwarded as parsed)', { error: messageOf(err) });
    }
    handlers.onRequest(req, res);
  });
  // Every header line is forwarded, or the request is refused whole (431 past maxHeaderSize): Node's
  // default keeps the first 1,000 lines and silently drops the rest (a key, Authorization, …).
  server.maxHeadersCount = 0;
  // A client may half-close after a complete request and still read the answer: without this Node
  // aborts the request (the upstream runs it, the client never hears back).
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if (isWebSocketHandshake(req)) handlers.onUpgrade(req, socket, head);
    else serveAsOrdinary(server, req, socket, head);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // A taken or invalid address is bad input (exit 2), not a failed run; release what was built.
    scheduler.close();
    upstream.close();
    proxy.close();
    throw new ConfigError([`http.listen: cannot listen on ${o.http.listen}: ${messageOf(err)}`]);
  }
  const address = server.address() as net.AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  warnIfUnreachable(upstream, o.logger);
  o.metrics.pendingCopies.set(0);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    pending: () => scheduler.pending,
    settle: (timeoutMs) => scheduler.settle(timeoutMs),
    stopInjecting: () => decider.stopInjecting(),
    openWindow: () => decider.openWindow(),
    liveOriginals: () => decider.liveOriginals,
    async closeWindow(timeoutMs) {
      decider.closeWindow();
      const deadline = Date.now() + timeoutMs;
      const originals = await decider.drainOriginals(timeoutMs);
      return (await scheduler.settle(Math.max(0, deadline - Date.now()))) && originals;
    },
    close(deadlineMs = 10_000) {
      closing ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = Date.now() + deadlineMs;
        while (handlers.inFlight > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          // A socket whose answer went out before draining began turns idle now: close it while idle.
          server.closeIdleConnections();
        }
        server.closeAllConnections();
        for (const socket of handlers.upgraded) socket.destroy();
        await closed;
        scheduler.cancelAll();
        scheduler.close();
        upstream.close();
        proxy.close();
      })();
      return closing;
    },
  };
}

/** A proxy must start even if the upstream is briefly down; say so once, naming the address. */
function warnIfUnreachable(upstream: Upstream, logger: Logger): void {
  const socket = net.connect({ host: upstream.url.hostname.replace(/^\[|\]$/g, ''), port: Number(upstream.url.port || (upstream.secure ? 443 : 80)) });
  socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
  socket.once('connect', () => socket.end());
  socket.once('error', (err) => logger.warn(`upstream ${upstream.origin} is not reachable yet: ${err.message}`, { upstream: upstream.origin }));
}
