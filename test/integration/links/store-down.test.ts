// The dedup store goes away (a link to the real Redis cut for 2 s) while duplicates keep coming:
// the fail-closed shop passes, the fail-open shop fails with its leaked side effects counted.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { expect } from 'chai';
import { startShop, type Shop } from '../../../examples/shop';
import { journalCounts, readJournalLines, runFixture } from '../run/e2e-helpers';
import { ensureRedis } from '../../helpers/redis';
import { createTestPostgres } from '../../helpers/databases';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function runStoreDown(variant: string, mode = 'refuse') {
  const port = await freePort();
  // The shop reaches Redis only through doubletap's link; ioredis retries until the link listens.
  const db = await createTestPostgres();
  const shop: Shop = await startShop({ databaseUrl: db.url, redisUrl: `redis://127.0.0.1:${port}`, redisPrefix: `dt-test-${randomBytes(4).toString('hex')}` });
  try {
    const result = await runFixture('shop-store-down.yaml', {
      VARIANT: variant, SHOP_URL: shop.url, SHOP_DATABASE_URL: shop.databaseUrl, LINK_PORT: String(port), MODE: mode,
    }, `store-down-${variant}`);
    return { result, entries: readJournalLines(result.runDir) };
  } finally {
    await shop.close();
    await db.drop();
  }
}

describe('dedup store outage (links + onStoreDown, real Redis)', function () {
  this.timeout(120_000);
  before(ensureRedis);

  it('redis-closed (fail-closed shop) passes: every original and copy during the outage refused, books = ops', async () => {
    const { result, entries } = await runStoreDown('redis-closed');
    const v = result.verdict;
    const sd = v.storeDown!['create-order'];
    const [win] = entries.filter((e) => e.kind === 'link');
    expect(win).to.include({ link: 'redis', mode: 'refuse' });
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
});
