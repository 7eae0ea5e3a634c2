// Probes for `bench/cost-by-fraction.ts --fractions F:PROBE`: each one cuts or adds one thing in a bench proxy, so the slowdown
// that copies bring to every original (docs/benchmarks.md, "The step, located") can be taken apart
// inside one process, in the same rounds as the unchanged proxy. Bench-only: they patch dist/'s
// modules at run time and are never part of the product.
//   halt              the halt switch is thrown when the harness sends `halt` (after warm-up): the copy
//                     path's code and inline caches stay as the copies left them, no copy is made
//   fake-send         a copy is answered in-process on the next turn; nothing goes to the upstream
//   http-send         copies on node:http (an agent of their own) instead of undici
//   no-plan           a picked request is read as for copies (headers kept, body kept and hashed,
//                     answer read), but no copy is planned: the request path's share of the cost
//   retry-memory=N    the proxy's client-retry memory holds N keys (0: none, every request is new) instead
//                     of 100,000: what its random reads over megabytes cost the originals
//   eager-tierup      V8 optimizes after an eighth of its usual interrupt budget (v8.setFlagsFromString)
//   interval=MS       an empty setInterval every MS ms (the copies' timer wheel ticks every 2 ms)
//   undici-timer=MS   a plain undici Pool request to the upstream every MS ms: no doubletap code
//   client-timer=MS   the same on one undici Client (no Pool in front)
//   http-timer=MS     the same on node:http
//   raw-timer=MS      the same request's bytes on a raw net.Socket (no client, no parser)
//   llhttp-timer=MS   undici's llhttp (wasm) parses one answer every MS ms, no socket
//   no-simd           undici's llhttp without wasm SIMD (UNDICI_NO_WASM_SIMD=1)
//   corked-copies     copies due in the same turn share one write: the copies' Pool pipelines (up to 16
//                     a connection, marked idempotent and non-blocking) and its sockets stay corked from
//                     the turn's first copy until its microtasks run (fewer write syscalls per copy)
//   compute=NS, scatter=NxMIB   a known cost per request, to calibrate the machine (calibration-probes.ts)
// Probes combine with '+': `fake-send+undici-timer=12`.
import http from 'node:http';
import net from 'node:net';
import type { HaltSwitch } from '../../src/chaos/halt';
import type { CopySpec, CopyResult } from '../../src/http/copy-sender';
import type { Upstream } from '../../src/http/upstream';
import { applyCalibration } from './calibration-probes';

type Dist = <T>(module: string) => T;
const BODY = Buffer.alloc(200, 120);
const ANSWER = Buffer.from(
  'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 40\r\ndate: Wed, 02 Dec 2026 18:00:00 GMT\r\n' +
    'connection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\n{"id":"o-1","status":"created","n":12345}',
);

/** Before the proxy starts (undici loads its parser on its first connection). */
export function applyProbes(spec: string, upstreamUrl: string, dist: Dist, halt: HaltSwitch): void {
  const probes = spec.split('+').filter(Boolean);
  const valueOf = (name: string): string | undefined => probes.find((p) => p.startsWith(name + '='))?.slice(name.length + 1);
  const every = (name: string): number => Number(valueOf(name) ?? 0);
  const known = ['halt', 'no-plan', 'eager-tierup', 'interval', 'fake-send', 'http-send', 'undici-timer', 'client-timer', 'http-timer', 'raw-timer', 'llhttp-timer', 'no-simd', 'corked-copies', 'retry-memory', 'compute', 'scatter'];
  for (const p of probes) if (!known.includes(p.split('=')[0])) throw new Error(`unknown probe ${p} (known: ${known.join(', ')})`);
  const senders = dist<{ sendCopy: unknown }>('http/copy-sender');

  applyCalibration(valueOf, dist);
  if (probes.includes('halt')) process.on('message', (m: { cmd?: string }) => m.cmd === 'halt' && halt.halt('probe'));
  if (probes.includes('eager-tierup')) require('node:v8').setFlagsFromString('--interrupt-budget=8192');
  if (probes.includes('no-simd')) process.env.UNDICI_NO_WASM_SIMD = '1';
  if (probes.includes('fake-send')) senders.sendCopy = fakeSend;
  if (probes.includes('http-send')) senders.sendCopy = httpSend(dist);
  if (probes.includes('corked-copies')) corkedCopies(dist, senders);
  if (probes.includes('no-plan')) {
    const { CopyScheduler } = dist<typeof import('../../src/http/copies')>('http/copies');
    // Each copy is done at once: its pending bytes are released, nothing is scheduled or journaled.
    CopyScheduler.prototype.plan = function (this: { d: { pendingBytes?: { copyDone(ex: unknown): void } } }, ex: unknown, delaysMs: readonly number[]) {
      for (let i = 0; i < delaysMs.length; i++) this.d.pendingBytes?.copyDone(ex);
    } as never;
  }
  if (valueOf('retry-memory') !== undefined) {
    const n = every('retry-memory');
    const { Decider } = dist<typeof import('../../src/http/decision')>('http/decision');
    const { RecentKeys } = dist<typeof import('../../src/chaos/recent-keys')>('chaos/recent-keys');
    const memories = new Map<string, { seenBefore(key: string): boolean }>();
    const none = { seenBefore: () => false };
    (Decider.prototype as unknown as { seenKeys: unknown }).seenKeys = (rule: string) => {
      if (n === 0) return none;
      let m = memories.get(rule);
      if (!m) memories.set(rule, (m = new RecentKeys(n)));
      return m;
    };
  }
  const u = new URL(upstreamUrl);
  const undici = require('undici') as typeof import('undici');
  if (every('undici-timer')) dispatchEvery(new undici.Pool(u.origin, { connections: 256, headersTimeout: 0, bodyTimeout: 0 }), every('undici-timer'));
  if (every('client-timer')) dispatchEvery(new undici.Client(u.origin, { headersTimeout: 0, bodyTimeout: 0 }), every('client-timer'));
  if (every('http-timer')) {
    const agent = new http.Agent({ keepAlive: true });
    setInterval(() => {
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/orders', agent, headers: { 'content-type': 'application/json', 'content-length': BODY.length, 'idempotency-key': `k${Date.now()}` } }, (res) => res.resume());
      req.on('error', () => {});
      req.end(BODY);
    }, every('http-timer'));
  }
  if (every('interval')) setInterval(() => {}, every('interval'));
  if (every('raw-timer')) {
    const sock = net.connect(Number(u.port), u.hostname).on('data', () => {});
    const bytes = Buffer.from(`POST /orders HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
    setInterval(() => sock.write(bytes), every('raw-timer'));
  }
  if (every('llhttp-timer')) llhttpTimer(every('llhttp-timer'));
}

/** A POST on undici's low-level dispatch every `ms`, its answer read and dropped (as copies use it). */
function dispatchEvery(dispatcher: import('undici').Dispatcher, ms: number): void {
  const handler = { onConnect() {}, onHeaders: () => true, onData: () => true, onComplete() {}, onError() {} };
  setInterval(() => dispatcher.dispatch({ method: 'POST', path: '/orders', headers: { 'content-type': 'application/json', 'idempotency-key': `k${Date.now()}` }, body: BODY }, handler), ms);
}

function corkedCopies(dist: Dist, senders: { sendCopy: unknown }): void {
  const undici = require('undici') as typeof import('undici');
  const upstreams = dist<{ createUpstream: (...args: unknown[]) => Upstream }>('http/upstream');
  const createUpstream = upstreams.createUpstream;
  const sockets = new Set<net.Socket>();
  const connector = undici.buildConnector({});
  upstreams.createUpstream = (...args: unknown[]) => {
    const up = createUpstream(...args);
    void up.copies.destroy();
    const copies = new undici.Pool(up.url.origin, {
      connections: 256, pipelining: 16, headersTimeout: 0, bodyTimeout: 0,
      connect: (opts, cb) => connector(opts, (err, sock) => {
        if (sock) {
          sockets.add(sock as net.Socket);
          sock.once('close', () => sockets.delete(sock as net.Socket));
        }
        cb(err as never, sock as never);
      }),
    });
    const dispatch = copies.dispatch.bind(copies);
    copies.dispatch = ((opts: import('undici').Dispatcher.DispatchOptions, handler: import('undici').Dispatcher.DispatchHandler) =>
      dispatch({ ...opts, idempotent: true, blocking: false }, handler)) as never;
    return Object.assign(up, { copies });
  };
  const send = senders.sendCopy as (...args: unknown[]) => unknown;
  let corked = false;
  senders.sendCopy = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      for (const sock of sockets) sock.cork();
      queueMicrotask(() => {
        corked = false;
        for (const sock of sockets) sock.uncork();
      });
    }
    return send(...args);
  };
}

function fakeSend(_u: Upstream, _spec: CopySpec, _timeoutMs: number, done: (r: CopyResult) => void) {
  setImmediate(() => done({ status: 201, durationMs: 0.5 }));
  return { onWire: true, cancel: () => false, abort: () => {} };
}

/** Enough of a copy sender on node:http to measure it (status, answer, timeout); not the product's. */
function httpSend(dist: Dist) {
  const { AnswerReader } = dist<typeof import('../../src/http/answer-reader')>('http/answer-reader');
  const reframed = new Set(['transfer-encoding', 'trailer', 'connection', 'keep-alive', 'upgrade', 'expect', 'content-length']);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  return (upstream: Upstream, spec: CopySpec, timeoutMs: number, done: (r: CopyResult) => void) => {
    const headers: http.OutgoingHttpHeaders = { 'content-length': spec.body.length };
    for (const [k, v] of Object.entries(spec.headers)) if (!reframed.has(k) && v !== undefined) headers[k] = v;
    const started = performance.now();
    let onWire = false;
    let settled = false;
    const finish = (r: Omit<CopyResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(Object.assign(r, { durationMs: performance.now() - started }));
    };
    const req = http.request({ host: upstream.url.hostname, port: upstream.url.port, method: spec.method, path: upstream.basePath + spec.url, headers, agent }, (res) => {
      const reader = new AnswerReader(spec.identityPointer);
      res.on('data', (c: Buffer) => reader.update(c));
      res.on('end', () => finish(reader.finish(res.statusCode, res.headers['idempotent-replayed'] as string | undefined, spec)));
    });
    req.on('socket', () => { onWire = true; });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    const timer = setTimeout(() => { finish({ error: 'timeout' }); req.destroy(); }, timeoutMs);
    req.end(spec.body);
    const stop = () => { settled = true; clearTimeout(timer); req.destroy(); };
    return { get onWire() { return onWire; }, cancel: () => (onWire ? false : (stop(), true)), abort: stop };
  };
}

// The project's lib has no DOM types; the two constructors this needs.
const Wasm = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: unknown } } }).WebAssembly;

function llhttpTimer(ms: number): void {
  const zero = () => 0;
  const mod = new Wasm.Module(require('undici/lib/llhttp/llhttp-wasm.js'));
  const env = Object.fromEntries(['headers_complete', 'message_begin', 'url', 'status', 'header_field', 'header_value', 'body', 'message_complete'].map((n) => [`wasm_on_${n}`, zero]));
  const ex = new Wasm.Instance(mod, { env }).exports as { memory: { buffer: ArrayBuffer }; llhttp_alloc(t: number): number; malloc(n: number): number; llhttp_execute(p: number, b: number, n: number): number };
  const parser = ex.llhttp_alloc(2); // RESPONSE
  const at = ex.malloc(4096);
  setInterval(() => {
    new Uint8Array(ex.memory.buffer, at, ANSWER.length).set(ANSWER);
    ex.llhttp_execute(parser, at, ANSWER.length);
  }, ms);
}
