// Links through real sockets: bytes unchanged outside windows (checksum over 32 MB), each cut mode as a
// client sees it, journal + metrics per window, and halt restoring an outage within a measured bound.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Redis from 'ioredis';
import { HaltSwitch } from '../../../src/chaos/halt';
import { Journal } from '../../../src/journal/writer';
import { startLinks, type RunningLinks } from '../../../src/links';
import { silentLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics';
import { linkSpec, type LinkWindow } from '../../../src/scenario/schema-links';
import { ensureRedis, pingThrough, REDIS_ADDRESS } from '../../helpers/redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP server that hashes what it receives and answers with the same bytes (echo). */
async function echoServer(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => (sockets.add(s), s.on('error', () => undefined), s.pipe(s)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))) };
}

function setup(target: string, windows: Partial<LinkWindow>[] = [{ at: 3_600_000, for: 1, mode: 'refuse' }]) {
  const dir = mkdtempSync(join(tmpdir(), 'dt-link-'));
  const ctx = { journal: new Journal(join(dir, 'journal.jsonl')), halt: new HaltSwitch(), metrics: createMetrics(), logger: silentLogger() };
  const spec = linkSpec.parse({ name: 'dep', listen: '127.0.0.1:0', target, windows });
  return { ctx, spec, journalFile: join(dir, 'journal.jsonl') };
}

/** Sends `payload` through the address, half-closes, returns the sha256 of everything echoed back. */
function roundTrip(address: string, payload: Buffer): Promise<{ sha: string; bytes: number }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    const s = net.connect({ host, port: Number(port), allowHalfOpen: true }, () => s.end(payload));
    s.on('data', (d: Buffer) => (hash.update(d), (bytes += d.length)));
    s.on('end', () => resolve({ sha: hash.digest('hex'), bytes }));
    s.on('error', reject);
  });
}

describe('links (TCP proxy to a dependency)', function () {
  this.timeout(60_000);
  let links: RunningLinks | undefined;
  before(ensureRedis);
  afterEach(async () => {
    await links?.close();
    links = undefined;
  });

  it('passes 32 MB both ways unchanged outside windows (sha256 of what came back = what was sent)', async () => {
    const echo = await echoServer();
    try {
      const { ctx, spec } = setup(echo.address);
      links = await startLinks([spec], ctx);
      const payload = randomBytes(32 * 1024 * 1024);
      const sent = createHash('sha256').update(payload).digest('hex');
      const [a, b] = await Promise.all([roundTrip(links.links[0].address, payload), roundTrip(links.links[0].address, payload)]);
      expect(a).to.deep.equal({ sha: sent, bytes: payload.length });
      expect(b).to.deep.equal({ sha: sent, bytes: payload.length });
    } finally {
      await echo.close();
    }
  });

  it('keeps bytes and order through a latency window (4 MB, 30 ms each way)', async () => {
    const echo = await echoServer();
    try {
      const { ctx, spec } = setup(echo.address, [{ at: 0, for: 60_000, mode: 'latency', latency: 30 }]);
      links = await startLinks([spec], ctx);
      links.arm();
      await sleep(50);
      const payload = randomBytes(4 * 1024 * 1024);
      const started = Date.now();
      const r = await roundTrip(links.links[0].address, payload);
      expect(r).to.deep.equal({ sha: createHash('sha256').update(payload).digest('hex'), bytes: payload.length });
      expect(Date.now() - started).to.be.at.least(60);
    } finally {
      await echo.close();
    }
  });

  it('refuse: new connections refused and the open one reset during the window, then Redis answers again', async () => {
    const { ctx, spec, journalFile } = setup(REDIS_ADDRESS, [{ at: 300, for: 1200, mode: 'refuse' }]);
    links = await startLinks([spec], ctx);
    const address = links.links[0].address;
    const open = net.connect({ host: '127.0.0.1', port: Number(address.split(':')[1]) });
    const openEnded = new Promise<string>((r) => (open.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error')), open.once('close', () => r('closed'))));
    await new Promise((r) => open.once('connect', r));
    expect(await pingThrough(address)).to.equal('+PONG');
    links.arm();
    await sleep(600);
    expect(await pingThrough(address)).to.equal('ECONNREFUSED');
    expect(await openEnded).to.equal('ECONNRESET');
    await sleep(1200);
    expect(await pingThrough(address)).to.equal('+PONG');
    await ctx.journal.close();
    const lines = readFileSync(journalFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ kind: 'link', link: 'dep', mode: 'refuse', window: 0, connections: 1 });
    const lengthMs = Date.parse(lines[0].end) - Date.parse(lines[0].start);
    expect(lengthMs).to.be.within(1100, 2500);
    const metrics = await ctx.metrics.registry.metrics();
    expect(metrics).to.contain('doubletap_link_windows_total{link="dep",mode="refuse"} 1');
    expect(metrics).to.contain('doubletap_link_connections_affected_total{link="dep",mode="refuse"} 1');
  });

  it('reset: connections are accepted and reset during the window', async () => {
    const { ctx, spec } = setup(REDIS_ADDRESS, [{ at: 0, for: 60_000, mode: 'reset' }]);
    links = await startLinks([spec], ctx);
    links.arm();
    await sleep(50);
    expect(await pingThrough(links.links[0].address)).to.equal('ECONNRESET');
  });

  it('blackhole: a command on an open connection gets no answer during the window and its answer after it', async () => {
    const { ctx, spec } = setup(REDIS_ADDRESS, [{ at: 0, for: 1500, mode: 'blackhole' }]);
    links = await startLinks([spec], ctx);
    const [host, port] = links.links[0].address.split(':');
    const redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      links.arm();
      await sleep(50);
      const started = Date.now();
      expect(await pingThrough(links.links[0].address)).to.equal('timeout');
      expect(await redis.ping()).to.equal('PONG'); // held, then delivered on the same connection
      expect(Date.now() - started).to.be.at.least(1000);
    } finally {
      redis.disconnect();
    }
  });

  it('halt during a refuse outage restores the link within 250 ms (a new connection gets PONG)', async () => {
    const { ctx, spec, journalFile } = setup(REDIS_ADDRESS, [{ at: 0, for: 60_000, mode: 'refuse' }]);
    links = await startLinks([spec], ctx);
    links.arm();
    await sleep(100);
    const address = links.links[0].address;
    expect(await pingThrough(address)).to.equal('ECONNREFUSED');
    const samples: number[] = [];
    const started = process.hrtime.bigint();
    ctx.halt.halt('test');
    for (;;) {
      const r = await pingThrough(address);
      if (r === '+PONG') break;
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      expect(samples.length).to.be.below(100);
      await sleep(5);
    }
    const restoredMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`      halt → PONG on a new connection: ${restoredMs.toFixed(1)} ms (${samples.length} refused tries)`);
    expect(restoredMs).to.be.below(250);
    await ctx.journal.close();
    const [line] = readFileSync(journalFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(line).to.include({ kind: 'link', mode: 'refuse', cutShort: 'halt: test' });
  });

  it('a dependency that does not answer at start is an error naming the link and its address (exit 2)', async () => {
    const { ctx, spec } = setup('127.0.0.1:1');
    const err = await startLinks([spec], ctx).then(() => undefined, (e: Error & { exitCode?: number }) => e);
    expect(err?.message).to.match(/cannot reach links\[0\]\.target \(dep\) 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(err?.exitCode).to.equal(2);
  });
});
