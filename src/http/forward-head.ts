// The answer's head as the client gets it, whichever client carried the original (forward.ts,
// forward-undici.ts): the upstream's status, reason and headers, with the connection rules of the
// client's HTTP version.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpstreamAnswer } from './forward';

export function writeHead(req: IncomingMessage, res: ServerResponse, answer: UpstreamAnswer): void {
  const headers = answer.headers;
  if (req.httpVersion === '1.0') {
    // An HTTP/1.0 client cannot read chunked framing, and its connection closes unless it asked.
    delete headers['transfer-encoding'];
    headers.connection = req.headers.connection ?? 'close';
  } else if (headers.connection === undefined) {
    headers.connection = req.headers.connection ?? 'keep-alive';
  }
  res.statusCode = answer.statusCode ?? 502;
  if (answer.statusMessage) res.statusMessage = answer.statusMessage;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
}
