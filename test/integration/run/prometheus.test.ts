// `doubletap run` with a prometheus probe: a real Prometheus scraping the shop's /metrics every 1 s.
import { expect } from 'chai';
import { startShop, type Shop } from '../../../examples/shop';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { startPrometheus, type TestPrometheus } from '../../helpers/prometheus';
import { journalCounts, readJournalLines, runFixture } from './e2e-helpers';

describe('doubletap run: dedup hits from a real Prometheus (e2e)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let shop: Shop;
  let prom: TestPrometheus;
  const query = 'sum(idempotency_hits_total{variant="correct"})';

  before(async () => {
    db = await createTestPostgres();
    shop = await startShop({ port: 0, databaseUrl: db.url });
    prom = await startPrometheus({ scrapeTargets: [new URL(shop.url).host], scrapeInterval: '1s' });
    // The counter series exists only after its first hit: make one (a replayed request), and wait for
    // Prometheus to have it, so the "before" reading is a number and not an empty vector.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${shop.url}/correct/orders`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'warm-up' },
        body: JSON.stringify({ sku: 'W-1', amount_cents: 100 }),
      });
      expect(res.status).to.equal(201);
    }
    expect(await prom.waitForSample(query, 20_000, (v) => v >= 1)).to.equal(1);
  });
  after(async () => {
    await prom?.stop();
    await shop?.close();
    await db?.drop();
  });

  it('passes: dedup_hits grew by at least the replayed copies, read through PromQL', async () => {
    const r = await runFixture('shop-prometheus.yaml', { SHOP_URL: shop.url, SHOP_DATABASE_URL: db.url, PROM_URL: prom.url });
    const j = journalCounts(readJournalLines(r.runDir));
    const v = r.verdict;
    expect(v.status, v.reason).to.equal('pass');
    expect(j.by('replayed')).to.be.greaterThan(5);
    const dedup = v.invariants.find((i) => i.name.startsWith('dedup_hits'))!;
    expect(dedup.ok, dedup.detail).to.equal(true);
    expect(dedup.expected).to.equal(j.by('replayed'));
    // Every replayed copy is one hit in the shop; nothing else hit the key store in this run.
    expect(v.probes.dedup_hits!.delta).to.equal(j.by('replayed'));
    expect(v.probes.dedup_hits!.before).to.equal(1);
    expect(v.probes.dedup_hits!.role).to.equal('dedup');
  });
});
