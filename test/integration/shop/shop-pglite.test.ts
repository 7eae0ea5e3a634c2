// The shop on its embedded PostgreSQL (PGlite): the same books checks, read through the pglite-socket
// URL with pg, while the shop keeps writing (the socket and the shop share one mutex).
import { expect } from 'chai';
import { Client } from 'pg';
import { startShop, type Shop } from '../../../examples/shop';
import { books, order } from './shop-client';

describe('examples/shop on embedded PGlite', function () {
  this.timeout(60_000);
  let shop: Shop;
  before(async () => {
    shop = await startShop();
    expect(shop.databaseUrl).to.match(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
  });
  after(async () => shop?.close());

  it('correct: same key twice → one order, 2 ledger rows, 1 email, replayed; changed body → 422', async () => {
    const a = await order(shop.url, 'correct', 'p-1', { sku: 'A', amount_cents: 700 });
    const b = await order(shop.url, 'correct', 'p-1', { sku: 'A', amount_cents: 700 });
    expect(a).to.include({ status: 201, replayed: false });
    expect(b).to.include({ status: 201, replayed: true });
    expect(b.body).to.deep.equal(a.body);
    expect((await order(shop.url, 'correct', 'p-1', { sku: 'A', amount_cents: 701 })).status).to.equal(422);
    expect(await books(shop.databaseUrl, 'correct')).to.deep.equal({ orders: 1, ledger: 2, emails: 1 });
  });

  it('correct: a concurrent burst with one key → one order (PGlite serialises: replays)', async () => {
    const replies = await Promise.all([...Array(8)].map(() => order(shop.url, 'correct', 'p-burst', { sku: 'B', amount_cents: 1 })));
    expect(replies.filter((r) => r.status === 201 && !r.replayed)).to.have.length(1);
    expect(replies.every((r) => r.status === 201 || r.status === 409)).to.equal(true);
    expect((await books(shop.databaseUrl, 'correct')).orders).to.equal(2);
  });

  it('naive: the same key twice → two orders', async () => {
    await order(shop.url, 'naive', 'p-n', { sku: 'N', amount_cents: 1 });
    await order(shop.url, 'naive', 'p-n', { sku: 'N', amount_cents: 1 });
    expect(await books(shop.databaseUrl, 'naive')).to.deep.equal({ orders: 2, ledger: 4, emails: 2 });
  });

  it('serves sql probes (two pg clients, parameterised) while orders are being written', async () => {
    const probes = [new Client({ connectionString: shop.databaseUrl }), new Client({ connectionString: shop.databaseUrl })];
    await Promise.all(probes.map((c) => c.connect()));
    try {
      const writes = Promise.all([...Array(40)].map((_, i) => order(shop.url, 'naive', `w-${i}`, { sku: `W-${i}`, amount_cents: 3 })));
      const reads: number[] = [];
      for (let i = 0; i < 10; i++) {
        for (const c of probes) {
          const r = await c.query(`SELECT count(*)::int AS o, (SELECT count(*)::int FROM ledger_entries WHERE variant = $1) AS l FROM orders WHERE variant = $1`, ['naive']);
          // Never half an order: the probe's exchange cannot land inside the shop's transaction.
          expect(r.rows[0].l).to.equal(2 * r.rows[0].o);
          reads.push(r.rows[0].o);
        }
      }
      expect((await writes).every((w) => w.status === 201)).to.equal(true);
      const [final] = (await probes[0].query(`SELECT count(*)::int AS n FROM orders WHERE variant = 'naive'`)).rows;
      expect(final.n).to.equal(42);
      expect(reads[reads.length - 1]).to.be.at.most(42);
    } finally {
      await Promise.all(probes.map((c) => c.end()));
    }
  });

  it('measures the order transaction throughput on PGlite (correct variant, 8 concurrent clients)', async () => {
    const n = 200;
    const t0 = Date.now();
    let next = 0;
    await Promise.all([...Array(8)].map(async () => {
      while (next < n) {
        const i = next++;
        const r = await order(shop.url, 'correct', `tp-${i}`, { sku: `T-${i}`, amount_cents: 10 });
        expect(r.status).to.equal(201);
      }
    }));
    const opsPerSec = Math.round((n * 1000) / (Date.now() - t0));
    console.log(`      PGlite order transactions over HTTP: ${opsPerSec} ops/s (${n} orders)`);
    expect((await books(shop.databaseUrl, 'correct')).orders).to.equal(2 + n);
    expect(opsPerSec).to.be.greaterThan(20);
  });
});
