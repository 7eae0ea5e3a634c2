// The shop's variants against a real PostgreSQL (fresh database per file), counting rows in the books.
import { expect } from 'chai';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { startShop, type Shop } from '../../../examples/shop';
import { books, order } from './shop-client';
import { runHttpLoad } from '../../../src/load/http-load';
import { httpLoad } from '../../../src/scenario/schema-load';
import { silentLogger } from '../../../src/log';

describe('examples/shop on PostgreSQL', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let shop: Shop;
  before(async () => {
    db = await createTestPostgres();
    shop = await startShop({ databaseUrl: db.url });
    expect(shop.databaseUrl).to.equal(db.url);
  });
  after(async () => {
    await shop?.close();
    await db?.drop();
  });

  it('correct: same key twice → one order, 2 ledger rows, 1 email; the second reply is a replay', async () => {
    const a = await order(shop.url, 'correct', 'c-1', { sku: 'A-1', amount_cents: 1200 });
    const b = await order(shop.url, 'correct', 'c-1', { sku: 'A-1', amount_cents: 1200 });
    expect(a).to.include({ status: 201, replayed: false });
    expect(b).to.include({ status: 201, replayed: true });
    expect(b.body).to.deep.equal(a.body);
    expect(await books(db.url, 'correct')).to.deep.equal({ orders: 1, ledger: 2, emails: 1 });
  });

  it('correct: key reused with another body → 422, nothing written; missing key → 400', async () => {
    const r = await order(shop.url, 'correct', 'c-1', { sku: 'A-1', amount_cents: 1201 });
    expect(r.status).to.equal(422);
    expect(r.body.error).to.equal('idempotency_key_reused');
    expect((await order(shop.url, 'correct', undefined, { sku: 'A-1', amount_cents: 1 })).status).to.equal(400);
    expect(await books(db.url, 'correct')).to.deep.equal({ orders: 1, ledger: 2, emails: 1 });
  });

  it('correct: 10 concurrent requests with one key → 409 or replay, exactly one order', async () => {
    const replies = await Promise.all([...Array(10)].map(() => order(shop.url, 'correct', 'c-burst', { sku: 'B', amount_cents: 5 })));
    const created = replies.filter((r) => r.status === 201 && !r.replayed);
    expect(created).to.have.length(1);
    for (const r of replies) expect(r.status === 409 || (r.status === 201 && r.replayed) || r === created[0], JSON.stringify(r)).to.equal(true);
    expect(await books(db.url, 'correct')).to.deep.equal({ orders: 2, ledger: 4, emails: 2 });
    const stats = (await (await fetch(`${shop.url}/stats`)).json()) as { variants: Record<string, { idempotency: Record<string, number> }> };
    const conflicts = replies.filter((r) => r.status === 409).length;
    expect(stats.variants.correct.idempotency).to.deep.equal({ hits: 1 + (9 - conflicts), conflicts, mismatches: 1 });
  });

  it('correct: an expired key can be claimed again', async () => {
    const short = await startShop({ databaseUrl: db.url, keyTtlMs: 50 });
    try {
      await order(short.url, 'correct', 'c-ttl', { sku: 'T', amount_cents: 1 });
      await new Promise((r) => setTimeout(r, 120));
      const again = await order(short.url, 'correct', 'c-ttl', { sku: 'T', amount_cents: 1 });
      expect(again).to.include({ status: 201, replayed: false });
    } finally {
      await short.close();
    }
    expect((await books(db.url, 'correct')).orders).to.equal(4);
  });

  it('naive: the same key twice → two orders', async () => {
    await order(shop.url, 'naive', 'n-1', { sku: 'N', amount_cents: 10 });
    const b = await order(shop.url, 'naive', 'n-1', { sku: 'N', amount_cents: 10 });
    expect(b).to.include({ status: 201, replayed: false });
    expect(await books(db.url, 'naive')).to.deep.equal({ orders: 2, ledger: 4, emails: 2 });
  });

  it('racy: a sequential replay is fine, a concurrent burst makes more than one order', async () => {
    await order(shop.url, 'racy', 'r-1', { sku: 'R', amount_cents: 10 });
    expect(await order(shop.url, 'racy', 'r-1', { sku: 'R', amount_cents: 10 })).to.include({ status: 201, replayed: true });
    expect((await books(db.url, 'racy')).orders).to.equal(1);
    await Promise.all([...Array(5)].map(() => order(shop.url, 'racy', 'r-burst', { sku: 'R', amount_cents: 10 })));
    const orders = (await db.query(`SELECT count(*)::int AS n FROM orders WHERE variant = 'racy' AND idempotency_key = 'r-burst'`)) as { n: number }[];
    expect(orders[0].n).to.be.greaterThan(1);
  });

  it('no-fingerprint: a reused key with another body gets the original reply (wrong replay)', async () => {
    const a = await order(shop.url, 'no-fingerprint', 'f-1', { sku: 'F', amount_cents: 100 });
    const b = await order(shop.url, 'no-fingerprint', 'f-1', { sku: 'F', amount_cents: 999 });
    expect(b).to.include({ status: 201, replayed: true });
    expect(b.body).to.deep.equal(a.body);
    expect(b.body.amount_cents).to.equal(100);
    expect(await books(db.url, 'no-fingerprint')).to.deep.equal({ orders: 1, ledger: 2, emails: 1 });
  });

  it('exposes /stats, /metrics and /healthz', async () => {
    const stats = (await (await fetch(`${shop.url}/stats`)).json()) as Record<string, unknown>;
    expect(stats).to.include.keys('orders', 'ledger_entries', 'emails', 'payments', 'idempotency', 'variants');
    const metrics = await (await fetch(`${shop.url}/metrics`)).text();
    expect(metrics).to.match(/idempotency_hits_total\{variant="correct"\} \d+/);
    expect(metrics).to.match(/shop_orders_created_total\{variant="naive"\} 2/);
    expect(metrics).to.include('idempotency_conflicts_total');
    expect((await fetch(`${shop.url}/healthz`)).status).to.equal(200);
  });

  it('takes built-in load: 30 operations with seeded bodies → exactly 30 orders, 60 ledger rows', async () => {
    const spec = httpLoad.parse({ url: `${shop.url}/no-fingerprint/orders`, rate: '100/s', total: 30, body: { sku: 'L-{{seq}}', amount_cents: '{{int 100 5000}}' } });
    const stats = await runHttpLoad(spec, { seed: 9, index: 0, durationMs: 10_000, logger: silentLogger() });
    expect(stats).to.include({ operations: 30, attempts: 30, succeeded: 30, failed: 0 });
    expect(await books(db.url, 'no-fingerprint')).to.deep.equal({ orders: 31, ledger: 62, emails: 31 });
    const keys = (await db.query(`SELECT count(DISTINCT idempotency_key)::int AS n FROM orders WHERE idempotency_key LIKE 'dt-9-0-%'`)) as { n: number }[];
    expect(keys[0].n).to.equal(30);
  });
});
