// A small in-process client for the memory cases, where the count of requests matters, not their
// rate: exactly N POSTs over `concurrency` keep-alive connections, each with its own key.
import http from 'node:http';
import { BODY } from './load';

export async function postMany(url: string, n: number, concurrency: number, keyPrefix: string, body = BODY): Promise<{ ok: number; failed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const one = (i: number) =>
    new Promise<void>((done) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': `${keyPrefix}-${i}` } },
        (res) => {
          res.resume();
          res.on('end', () => { if (res.statusCode === 200) ok++; else failed++; done(); });
        },
      );
      req.on('error', () => { failed++; done(); });
      req.end(body);
    });
  const worker = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { ok, failed };
}
