// The report of a real run (naive shop on PostgreSQL, every fault kind) opened in headless Chromium.
import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { startShop } from '../../../examples/shop';
import type { RunResult } from '../../../src/run/experiment';
import { artifactPath, launchBrowser } from '../../helpers/browser';
import { createTestPostgres } from '../../helpers/databases';
import { runFixture } from './e2e-helpers';

describe('doubletap run: the report of a real run in Chromium (e2e)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let run: RunResult;

  before(async () => {
    const db = await createTestPostgres();
    const shop = await startShop({ port: 0, databaseUrl: db.url });
    try {
      run = await runFixture('shop-mixed.yaml', { SHOP_URL: shop.url, SHOP_DATABASE_URL: db.url, VARIANT: 'naive', SEED: '81' }, 'report');
    } finally {
      await shop.close();
      await db.drop();
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the failed verdict and a chart with the probes and doubletap\'s own series', async () => {
    expect(run.verdict.status).to.equal('fail');
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(run.reportFile).href, { waitUntil: 'load' });

    expect(await page.locator('#verdict-status').textContent()).to.equal('FAIL');
    expect(await page.locator('#scenario-name').textContent()).to.equal('e2e-mixed-naive');
    expect(await page.locator('#verdict-reason').textContent()).to.include('3 of 4 invariants violated');

    const fig = page.locator('#timeline-chart');
    const series = ((await fig.getAttribute('data-series')) ?? '').split(',');
    expect(series).to.include.members(['orders', 'ledger', 'dedup_hits', 'copies', 'originals']);
    expect(await fig.locator('svg').count()).to.equal(1);
    const legend = await fig.locator('.role-legend-label text').allTextContents();
    expect(legend).to.include.members(['orders', 'copies']);
    // Each series is drawn as one line with a point per timeline sample (≥ 3 s window at 500 ms).
    const orders = fig.locator(`g.series_${series.indexOf('orders')}_marks > path`);
    expect(((await orders.getAttribute('d')) ?? '').match(/L/g)?.length ?? 0).to.be.at.least(6);
    expect(await fig.locator('text', { hasText: 'chaos window' }).count()).to.equal(1);

    expect(await page.locator('#invariants tbody tr').count()).to.equal(4); // three + the outcome check
    expect(await page.locator('#invariants tbody tr.bad').count()).to.equal(3);
    expect(await page.locator('#leaked tbody tr').count()).to.be.greaterThan(0);
    await page.screenshot({ path: artifactPath('run-report.png'), fullPage: true });
    await page.close();
  });
});
