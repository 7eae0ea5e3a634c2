// Raw-socket tools for framing tests: a client that writes exact bytes and reads one response (or
// everything until the server closes), and an upstream that records every request as it arrived
// (all header lines, trailers, body) with Node's header-count limit off.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  rawHeaders: string[];
  rawTrailers: string[];
  body: Buffer;
}

export interface Recorder {
  url: string;
  port: number;
  requests: Recorded[];
  /** Header values for a name (case-insensitive), one per line as received. */
  values(r: Recorded, name: string): string[];
  close(): Promise<void>;
}

export async function startRecorder(o: { delayMs?: number } = {}): Promise<Recorder> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, rawTrailers: req.rawTrailers, body: Buffer.concat(chunks) });
      const text = JSON.stringify({ id: requests.length });
      setTimeout(() => {
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }, o.delayMs ?? 0);
    });
  });
  server.maxHeadersCount = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, requests,
    values: (r, name) => r.rawHeaders.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === name.toLowerCase() ? [r.rawHeaders[i + 1]] : [])),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface RawResponse {
  status: number;
  /** Lower-cased header name → values. */
  headers: Map<string, string[]>;
  body: string;
  /** True when the server had closed the connection when this response was read (see waitFor). */
  closed: boolean;
}

/** Parse one response with a Content-Length body from the front of `buf`; undefined while incomplete. */
export function parseResponse(buf: Buffer): { res: Omit<RawResponse, 'closed'>; rest: Buffer } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':');
    const name = line.slice(0, c).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(c + 1).trim()]);
  }
  const length = Number(headers.get('content-length')?.[0] ?? 0);
  if (buf.length < end + 4 + length) return undefined;
  return { res: { status, headers, body: buf.subarray(end + 4, end + 4 + length).toString('utf8') }, rest: buf.subarray(end + 4 + length) };
}

/** A connection that sends exact bytes and reads responses one by one. */
export class RawConnection {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private waiters: Array<() => void> = [];
  readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    this.socket.on('data', (d: Buffer) => this.wake((this.buf = Buffer.concat([this.buf, d]))));
    this.socket.on('end', () => this.wake((this.ended = true)));
    this.socket.on('close', () => this.wake((this.ended = true)));
    this.socket.on('error', () => this.wake((this.ended = true)));
  }

  private wake(_: unknown): void {
    for (const w of this.waiters.splice(0)) w();
  }

  connected(): Promise<void> {
    return new Promise((r) => (this.socket.connecting ? this.socket.once('connect', () => r()) : r()));
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response; rejects when the server closes first or after timeoutMs. */
  async response(timeoutMs = 10_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.buf);
      if (parsed) {
        this.buf = parsed.rest;
        return { ...parsed.res, closed: this.ended };
      }
      if (this.ended) throw new Error(`connection closed with ${this.buf.length} unparsed bytes: ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`);
      if (!(await this.nextEvent(deadline - Date.now()))) throw new Error('no response in time');
    }
  }

  /** Resolves true at the next data/end event, false after ms. */
  private nextEvent(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (ms <= 0) return resolve(false);
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  /** Resolves true as soon as cond() holds (now or after an event), false after ms. */
  waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (cond()) return resolve(true);
      if (ms <= 0) return resolve(false);
      const timer = setTimeout(() => resolve(false), ms);
      const check = (): void => {
        if (cond()) {
          clearTimeout(timer);
          resolve(true);
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  /** Everything until the server closes (or ms pass). */
  async untilClosed(ms = 5000): Promise<Buffer> {
    await this.waitFor(() => this.ended, ms);
    return this.buf;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** One request's bytes: `lines` are header lines without CRLF; the body is sent as given. */
export function rawRequest(method: string, path: string, lines: string[], body = ''): string {
  return `${method} ${path} HTTP/1.1\r\nHost: proxy.test\r\n${lines.map((l) => l + '\r\n').join('')}\r\n${body}`;
}
