// The dedup store goes away (a link to the real Redis cut for 2 s) while duplicates keep coming:
// the fail-closed shop passes, the fail-open shop fails with its leaked side effects counted.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { expect } from 'chai';
import { startShop, type Shop } from '../../../examples/shop';
import { silentLogger } from '../../../src/log';
import { runExperiment } from '../../../src/run/experiment';
import { loadScenario } from '../../../src/scenario/load';
import { fixture, journalCounts, readJournalLines, runFixture, tempRunDir } from '../run/e2e-helpers';
import { ensureRedis, pingThrough } from '../../helpers/redis';
import { createTestPostgres } from '../../helpers/databases';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A shop on a fresh PostgreSQL that reaches Redis only through doubletap's link on `port`. */
async function withShop<T>(variant: string, fn: (vars: Record<string, string>, port: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const db = await createTestPostgres();
  // ioredis retries until the link listens; a fresh key prefix: load keys repeat across runs (seeded).
  const shop: Shop = await startShop({ databaseUrl: db.url, redisUrl: `redis://127.0.0.1:${port}`, redisPrefix: `dt-test-${randomBytes(4).toString('hex')}` });
  try {
    return await fn({ VARIANT: variant, SHOP_URL: shop.url, SHOP_DATABASE_URL: shop.databaseUrl, LINK_PORT: String(port) }, port);
  } finally {
    await shop.close();
    await db.drop();
  }
}

const runStoreDown = (variant: string) =>
  withShop(variant, async (vars) => {
    const result = await runFixture('shop-store-down.yaml', vars, `store-down-${variant}`);
    return { result, entries: readJournalLines(result.runDir) };
  });

describe('dedup store outage (links + onStoreDown, real Redis)', function () {
  this.timeout(120_000);
  before(ensureRedis);

  it('redis-closed (fail-closed shop) passes: every original and copy during the outage refused, books = ops', async () => {
    const { result, entries } = await runStoreDown('redis-closed');
    const v = result.verdict;
    const sd = v.storeDown!['create-order'];
    const [win] = entries.filter((e) => e.kind === 'link');
    expect(win).to.include({ link: 'redis', mode: 'refuse' });
    expect(v.linkWindows).to.have.length(1);
    expect(v.linkWindows![0]).to.include({ link: 'redis', mode: 'refuse', connections: win.connections });
    expect(readFileSync(result.reportFile, 'utf8')).to.contain('id="store-down"');
    expect(sd.declared).to.equal('fail-closed');
    expect(sd.observed).to.equal('fail-closed');
    expect(sd.originals.during).to.be.greaterThan(10); // 25/s for 2 s
    expect(sd.originals.refused).to.equal(sd.originals.during - sd.originals.waited);
    expect(sd.originals.succeeded).to.equal(0);
    expect(sd.copies.during).to.be.greaterThan(3);
    expect(sd.copies.reExecuted).to.equal(0);
    const c = journalCounts(entries);
    expect(v.probes.orders.delta).to.equal(c.ops);
    expect(v.probes.ledger.delta).to.equal(2 * c.ops);
    expect(v.http.outcomes['re-executed']).to.equal(0);
    expect(v.status, v.reason).to.equal('pass');
    expect(result.exitCode).to.equal(0);
  });

  it('redis-open (fail-open shop) fails: originals succeeded during the outage, leaked side effects counted', async () => {
    const { result, entries } = await runStoreDown('redis-open');
    const v = result.verdict;
    const sd = v.storeDown!['create-order'];
    expect(sd.observed).to.equal('fail-open');
    expect(sd.originals.succeeded).to.be.greaterThan(10);
    expect(sd.copies.reExecuted).to.be.greaterThan(3);
    const c = journalCounts(entries);
    const leaked = v.probes.orders.delta! - c.ops;
    // Every extra order is a copy that re-executed (during the outage, or later for a key never stored).
    expect(leaked).to.equal(c.by('re-executed'));
    expect(v.leakedTotal).to.equal(leaked);
    const row = v.invariants.find((i) => i.name === 'store down: create-order fail-closed')!;
    expect(row.ok).to.equal(false);
    expect(row.actual).to.equal(sd.originals.succeeded + sd.copies.reExecuted);
    expect(v.invariants.find((i) => i.name.startsWith('orders'))!.ok).to.equal(false);
    expect(v.status).to.equal('fail');
    expect(result.exitCode).to.equal(1);
  });

  it('POST /halt during an outage: the link is restored before the answer (no refused connection after it), PONG within 1 s; the run ends aborted', async () => {
    await withShop('redis-closed', async (vars, port) => {
      const env = { ...process.env, ...vars, AT: '300ms', FOR: '5s' };
      let onReady!: (url: string) => void;
      const ready = new Promise<string>((r) => (onReady = r));
      const running = runExperiment(loadScenario(fixture('shop-store-down.yaml'), env), {
        reportDir: tempRunDir('store-down-halt'), logger: silentLogger(), pretty: false, env, onReady: (i) => onReady(i.controlUrl),
      });
      // A run that fails before it is ready (a preflight error) must fail the test with its reason, not
      // leave it waiting for `ready` until mocha's timeout.
      const endedEarly = running.then((r) => Promise.reject(new Error(`the run ended before it was ready: ${r.verdict.status} (${r.verdict.reason})`)));
      endedEarly.catch(() => undefined); // once it was ready, the run ending is what the test waits for
      const control = await Promise.race([ready, endedEarly]);
      const link = `127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      while (!(await (await fetch(`${control}/metrics`, { signal: AbortSignal.timeout(5000) })).text()).includes('doubletap_link_down{link="redis"} 1')) {
        expect(Date.now()).to.be.below(deadline);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await pingThrough(link)).to.equal('ECONNREFUSED');
      const started = process.hrtime.bigint();
      expect((await fetch(`${control}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).to.equal(200);
      const haltMs = Number(process.hrtime.bigint() - started) / 1e6;
      let tries = 0;
      while ((await pingThrough(link)) !== '+PONG') expect(++tries).to.be.below(200);
      const restoredMs = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`      POST /halt answered after ${haltMs.toFixed(1)} ms; PONG through the link after ${restoredMs.toFixed(1)} ms (${tries} refused tries)`);
      expect(tries, 'refused connections after the halt answer').to.equal(0);
      // The whole run shares this process and the machine is loaded: the bound is generous.
      expect(restoredMs).to.be.below(1000);
      const result = await running;
      expect(result.verdict.status).to.equal('aborted');
      expect(result.exitCode).to.equal(3);
      const [line] = readJournalLines(result.runDir).filter((e) => e.kind === 'link');
      expect(line.cutShort).to.match(/^halt/);
    });
  });
});
