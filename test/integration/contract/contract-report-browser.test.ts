// The contract's HTML report of a real run (naive shop variant on PostgreSQL) in headless Chromium: the
// status, the operation × check matrix, the evidence — and nothing fetched from anywhere.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { artifactPath, launchBrowser } from '../../helpers/browser';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { REPO_ROOT } from '../../helpers/cli';
import { startShop, type Shop } from '../../../examples/shop';
import { runContractCommand } from '../../../src/commands/contract';
import { DEFAULT_FLAGS } from './flags';

describe('doubletap contract: HTML report in headless Chromium', function () {
  this.timeout(90_000);
  let browser: Browser;
  let db: TestDatabase;
  let shop: Shop;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doubletap-contract-html-'));
    db = await createTestPostgres();
    shop = await startShop({ databaseUrl: db.url });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await shop?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows FAIL, the matrix with a cell per check, and each failure with its evidence', async () => {
    const flags = { ...DEFAULT_FLAGS, openapi: join(REPO_ROOT, 'examples', 'shop', 'openapi.yaml'), baseUrl: `${shop.url}/racy`, seed: '2', runId: 'html', reportDir: dir };
    const code = await runContractCommand(flags, () => undefined, { ...process.env, DATABASE_URL: db.url });
    expect(code).to.equal(1);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    const url = pathToFileURL(join(dir, 'index.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.locator('#contract-status').textContent()).to.equal('FAIL');
    expect(await page.locator('#contract-reason').textContent()).to.equal('2 checks failed');
    expect(await page.evaluate("getComputedStyle(document.getElementById('verdict')).backgroundColor")).to.equal('rgb(185, 28, 28)');

    const row = page.locator('#matrix tr[data-operation="POST /orders"]');
    const cells = await row.locator('td.cell').allTextContents();
    expect(cells).to.deep.equal(['PASS', 'FAIL', 'FAIL', 'PASS', 'n/a']);
    expect(await page.evaluate("getComputedStyle(document.querySelector('#matrix td.cell-fail')).color")).to.equal('rgb(185, 28, 28)');

    const concurrent = page.locator('section.operation tr[data-check="concurrent-duplicate"]');
    expect(await concurrent.textContent()).to.match(/executions for one key: probe orders grew by \d+ \(one execution is \+1\)/);
    expect(await concurrent.locator('ul.evidence li').first().textContent()).to.match(/^5 at once: /);
    const mismatch = page.locator('section.operation tr[data-check="body-mismatch"]');
    expect(await mismatch.textContent()).to.include('wrong replay');
    await page.screenshot({ path: artifactPath('contract-report.png'), fullPage: true });
    expect(requests).to.deep.equal([url]);
  });
});
