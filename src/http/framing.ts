// Wire fidelity for originals, applied around the handlers: what Node's HTTP server does by default
// (merge repeated headers, drop trailers, hand any `Upgrade` offer to the upgrade path) would alter or
// lose a client's request. Each function here puts back what the client sent, and nothing else.
import type { ClientRequest, IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** Framing, routing and connection fields: Node refuses conflicting copies of the first three, and
 * the connection-level ones are read as one comma list (RFC 9110 §5.3 makes the joined form equal). */
const SINGLE = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'keep-alive', 'te', 'trailer']);

/**
 * Node joins repeated header lines (`k1, k2`) or keeps only the first (Authorization, Content-Type…).
 * Give every repeated field back as a list so the upstream gets each line the client sent.
 * Costs one key count per request when nothing repeats.
 */
export function keepRepeatedHeaders(req: IncomingMessage): void {
  if (req.rawHeaders.length >> 1 === Object.keys(req.headers).length) return;
  const distinct = req.headersDistinct;
  for (const name of Object.keys(distinct)) {
    const values = distinct[name];
    if (values !== undefined && values.length > 1 && !SINGLE.has(name)) req.headers[name] = values;
  }
}

/**
 * Raw trailers ([name, value, name, value…]) as addTrailers() takes them, in order, repeats kept:
 * node:http's `rawTrailers` (strings) or undici's (its types say strings; its HTTP/1.1 client gives Buffers).
 */
export function trailerPairs(raw: ReadonlyArray<string | Buffer>): Array<[string, string]> {
  const text = (x: string | Buffer): string => (typeof x === 'string' ? x : x.toString('latin1'));
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([text(raw[i]), text(raw[i + 1])]);
  return out;
}

/**
 * The forward path streams a chunked body and ends the upstream request on 'end', dropping the trailer
 * fields. Register BEFORE the body is relayed: this 'end' listener then runs first and adds them.
 */
export function forwardRequestTrailers(req: IncomingMessage, out: ClientRequest): void {
  req.once('end', () => {
    if (req.rawTrailers.length > 0 && !out.writableEnded) out.addTrailers(trailerPairs(req.rawTrailers));
  });
}

/** The same for the upstream's response trailers (registered before the forward path streams the response). */
export function forwardResponseTrailers(proxyRes: IncomingMessage, res: { headersSent: boolean; writableEnded: boolean; addTrailers(t: Array<[string, string]>): void }): void {
  proxyRes.once('end', () => {
    // headersSent: the response is being streamed (never the withheld lost-reply answer).
    if (proxyRes.rawTrailers.length > 0 && res.headersSent && !res.writableEnded) res.addTrailers(trailerPairs(proxyRes.rawTrailers));
  });
}

/** Only a real WebSocket handshake (RFC 6455 §4.1) may leave HTTP for the upgrade path. */
export function isWebSocketHandshake(req: IncomingMessage): boolean {
  const h = req.headers;
  return (
    req.method === 'GET' &&
    String(h.upgrade).toLowerCase() === 'websocket' &&
    typeof h['sec-websocket-key'] === 'string' &&
    h['sec-websocket-version'] !== undefined
  );
}

/**
 * Node gives every request that offers `Connection: upgrade` (an h2c offer from `curl --http2`, a POST
 * with `Upgrade: websocket`) to the 'upgrade' event with the raw socket, body bytes in `head`. Serve
 * anything but a WebSocket handshake as the ordinary request it is: rebuild its head without the
 * Upgrade offer, put it back in front of the unread bytes and hand the socket back to the server.
 */
export function serveAsOrdinary(server: Server, req: IncomingMessage, socket: Socket, head: Buffer): void {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === 'upgrade') continue;
    if (name === 'connection') {
      const rest = raw[i + 1].split(',').map((t) => t.trim()).filter((t) => t !== '' && t.toLowerCase() !== 'upgrade');
      if (rest.length > 0) lines.push(`${raw[i]}: ${rest.join(', ')}`);
      continue;
    }
    lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  // Header values arrive latin1-decoded: encode them back byte for byte.
  socket.unshift(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), head]));
  server.emit('connection', socket);
}
