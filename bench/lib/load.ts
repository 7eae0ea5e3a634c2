// The load generator, always in its own process: Debian's wrk when installed (C, cheap on 2 cores),
// else autocannon's CLI. ~200-byte JSON POSTs on keep-alive connections, a unique Idempotency-Key each.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './proc';

export const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));

/** The request body: 200 bytes of JSON, like a small order. */
export const BODY = (() => {
  const base = { sku: 'SKU-000123', quantity: 2, amount_cents: 4599, currency: 'EUR', customer: 'c-4711', note: '' };
  base.note = 'x'.repeat(200 - JSON.stringify(base).length);
  return JSON.stringify(base);
})();

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Distinguishes keys between runs (same nonce → same keys → same seeded decisions). */
  nonce: string;
  /** Requests per second in total (autocannon only; wrk has no rate limit). */
  rate?: number;
}

function luaScript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'doubletap-bench-wrk-'));
  const file = join(dir, 'post.lua');
  writeFileSync(file, `
-- The request is written out, not made by wrk.format(): that one orders the headers as Lua's table
-- iteration does, which differed between wrk's two threads (two header orders are two hidden classes
-- for every header object in the proxy, a cost no real client fleet of one kind pays).
local body = [[${BODY}]]
local head = ""
local threads = {}
local nextId = 0
function setup(thread)
  thread:set("tid", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end
local n = 0
local prefix = ""
function init(args)
  prefix = (args[1] or "k") .. "-" .. tostring(tid) .. "-"
  -- wrk.init has set the Host header (host:port) before it calls this.
  head = "POST " .. wrk.path .. " HTTP/1.1\\r\\nHost: " .. wrk.headers["Host"] .. "\\r\\nContent-Type: application/json\\r\\nContent-Length: " .. #body .. "\\r\\nIdempotency-Key: "
end
function request()
  n = n + 1
  return head .. prefix .. n .. "\\r\\n\\r\\n" .. body
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`);
  return file;
}

let script: string | undefined;

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else ok(stdout);
    });
  });
}

/** Connections for each proxy's load: 32 when loaded alone; shared out (at least 4 each) when all are loaded at once (--paired). */
export function connectionsEach(proxies: number, paired: boolean): number {
  return paired ? Math.max(4, Math.floor(32 / proxies)) : 32;
}

export async function runLoad(o: LoadOptions, prefer: 'wrk' | 'autocannon' = 'wrk'): Promise<LoadResult> {
  const timeout = (o.seconds + 30) * 1000;
  if (prefer === 'wrk' && WRK && o.rate === undefined) {
    script ??= luaScript();
    const threads = Math.min(2, o.connections);
    const out = await run(WRK, ['-t', String(threads), '-c', String(o.connections), '-d', `${Math.max(1, Math.round(o.seconds))}s`, '--timeout', '10s', '-s', script, o.url, '--', o.nonce], timeout);
    const m = /RESULT (\{.*\})/.exec(out);
    if (!m) throw new Error(`wrk printed no result:\n${out}`);
    const r = JSON.parse(m[1]) as { requests: number; us: number; p50: number; p99: number; errors: number };
    const seconds = r.us / 1e6;
    return { tool: 'wrk', requests: r.requests, seconds, rps: r.requests / seconds, p50Ms: r.p50 / 1000, p99Ms: r.p99 / 1000, errors: r.errors };
  }
  const opts = {
    url: o.url, connections: o.connections, duration: o.seconds, method: 'POST', body: BODY, idReplacement: true,
    headers: { 'content-type': 'application/json', 'idempotency-key': `${o.nonce}-[<id>]` },
    ...(o.rate !== undefined ? { overallRate: o.rate } : {}),
  };
  const out = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/servers/autocannon-run.ts'), JSON.stringify(opts)], timeout);
  const r = JSON.parse(out) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number };
  return {
    tool: 'autocannon', requests: r.requests.total, seconds: r.duration, rps: r.requests.total / r.duration,
    p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts,
  };
}
