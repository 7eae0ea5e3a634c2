// Micro-benchmark: CPU spent in this process per copy sent, the old node:http copy sender (kept here,
// verbatim but for the agent) against the undici one in src/http/copy-sender.ts, in the same run,
// interleaved rounds (and undici's request() API, which we did not pick), against a local Node upstream in its own process (its CPU is not counted).
//   npx tsx bench/copy-sender.ts [--copies N] [--rounds R] [--concurrency C] [--body BYTES]
import http from 'node:http';
import { sendCopy, type CopyResult } from '../src/http/copy-sender';
import { AnswerReader } from '../src/http/answer-reader';
import type { AttemptResult } from '../src/http/classify';
import { createUpstream, type Upstream } from '../src/http/upstream';
import { startTs } from './lib/proc';

const flag = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const COPIES = flag('copies', 3000);
const ROUNDS = flag('rounds', 3);
const CONCURRENCY = flag('concurrency', 16);
const BODY = Buffer.from(JSON.stringify({ item: 'x'.repeat(Math.max(0, flag('body', 200) - 12)) }));

type Send = (up: Upstream, headers: Record<string, string | string[] | undefined>, done: (r: CopyResult) => void) => void;

/** The sender before undici: node:http on a keep-alive agent, one promise and closures per copy. */
function legacySend(agent: http.Agent): Send {
  return (up, spec, done) => {
    const headers = { ...spec };
    delete headers['transfer-encoding'];
    delete headers.trailer;
    headers['content-length'] = String(BODY.length);
    const started = performance.now();
    const request = http.request({
      protocol: up.url.protocol, hostname: up.url.hostname, port: up.url.port, method: 'POST', path: up.basePath + '/orders', headers, agent,
    });
    new Promise<CopyResult>((resolve) => {
      let settled = false;
      const finish = (r: AttemptResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...r, durationMs: performance.now() - started });
      };
      const timer = setTimeout(() => (finish({ error: 'timeout' }), request.destroy()), 10_000);
      request.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
      request.on('response', (res) => {
        const reader = new AnswerReader(undefined);
        res.on('data', (chunk: Buffer) => reader.update(chunk));
        res.on('end', () => finish(reader.finish(res.statusCode, res.headers['idempotent-replayed'])));
        res.on('error', (err: NodeJS.ErrnoException) => finish({ status: res.statusCode, error: err.code ?? err.message }));
        res.on('aborted', () => finish({ status: res.statusCode, error: 'response aborted' }));
      });
    }).then(done);
    request.end(BODY);
  };
}

const undiciSend: Send = (up, headers, done) => {
  sendCopy(up, { method: 'POST', url: '/orders', headers: { ...headers }, body: BODY }, 10_000, done);
};

/** undici's promise API, for comparison: a Readable body stream and promises per copy. */
const undiciRequest: Send = (up, headers, done) => {
  const started = performance.now();
  up.copies
    .request({ method: 'POST', path: '/orders', headers: { ...headers, 'content-length': String(BODY.length) }, body: BODY })
    .then(async (res) => {
      const reader = new AnswerReader(undefined);
      for await (const chunk of res.body) reader.update(chunk as Buffer);
      done({ ...reader.finish(res.statusCode, res.headers['idempotent-replayed']), durationMs: performance.now() - started });
    })
    .catch((err: { code?: string }) => done({ error: err.code ?? 'error', durationMs: performance.now() - started }));
};

/** Sends COPIES copies, CONCURRENCY at a time; returns CPU µs (user + system) per copy. */
async function round(up: Upstream, send: Send): Promise<number> {
  const headers = { host: up.url.host, 'content-type': 'application/json', 'idempotency-key': 'k', 'x-forwarded-for': '127.0.0.1' };
  let started = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let finished = 0;
    const next = (): void => {
      if (started >= COPIES) return;
      started++;
      send(up, headers, (r) => {
        if (r.error !== undefined || r.status !== 200) errors++;
        if (++finished === COPIES) resolve();
        else next();
      });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
  const cpu = process.cpuUsage(cpu0);
  if (errors > 0) throw new Error(`${errors} copies failed`);
  return (cpu.user + cpu.system) / COPIES;
}

async function main(): Promise<void> {
  const server = await startTs('bench/servers/upstream.ts');
  const up = createUpstream({ upstream: server.url, insecure: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const senders: Array<[string, Send]> = [
    ['node:http', legacySend(agent)],
    ['undici', undiciSend],
    ['undici request()', undiciRequest],
  ];
  try {
    // Warm both paths (JIT, pools) before measuring.
    for (const [, s] of senders) await round(up, s);
    const results = new Map<string, number[]>(senders.map(([n]) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) for (const [name, s] of senders) results.get(name)!.push(await round(up, s));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const old = median(results.get('node:http')!);
    for (const [name, xs] of results) console.log(`${name.padEnd(17)} ${median(xs).toFixed(1)} µs CPU per copy (rounds: ${xs.map((x) => x.toFixed(1)).join(', ')})`);
    console.log(`undici / node:http = ${(median(results.get('undici')!) / old).toFixed(2)} (${COPIES} copies per round, ${CONCURRENCY} in flight, ${BODY.length} B body)`);
  } finally {
    agent.destroy();
    up.close();
    await server.stop();
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
